extension ChunkBuilder {
    /// The span an account's conversations fall in: the year (and two weeks before), or for a stale
    /// account only up to 92–212 days before the as-of time.
    mutating func activitySpan(_ account: SyntheticAccount) -> (from: Int, to: Int) {
        switch account.tier {
        case .stale: return (earliest, asOf - (92 + rng.below(120)) * 86_400)
        default: return (earliest, asOf - 3_600)
        }
    }

    /// An account's activity: conversations, noise from its domain, and meetings.
    mutating func buildAccount(_ index: Int) {
        let account = organization.accounts[index]
        let emailQuota = generator.emailQuota[index]
        let meetingQuota = generator.meetingQuota[index]
        guard emailQuota + meetingQuota > 0, !generator.people[index].isEmpty else { return }
        let span = activitySpan(account)
        let noise = emailQuota >= 4 ? Int((Double(emailQuota) * 0.13).rounded()) : 0
        var left = emailQuota - noise
        while left > 0 {
            left -= conversation(index, span: span, limit: left)
        }
        for _ in 0..<noise { noiseEmail(index, span: span) }
        buildMeetings(index, quota: meetingQuota, span: span)
    }

    /// A partner account for a cross-account thread: the parent when there is one, else any busy account.
    ///
    /// Never a stale or inactive account, which must stay without recent activity.
    mutating func partner(of index: Int) -> Int? {
        let accounts = organization.accounts
        func busy(_ k: Int) -> Bool { (accounts[k].tier == .active || accounts[k].tier == .hot) && !generator.people[k].isEmpty }
        if let parent = accounts[index].parent, busy(parent) { return parent }
        let other = rng.below(accounts.count)
        return other != index && busy(other) ? other : nil
    }

    /// One contact of the account, the main contact most often.
    mutating func contact(of index: Int) -> Participant {
        let people = generator.people[index]
        let weights = people.indices.map { 1 / Double($0 + 1) }
        return people[rng.weighted(weights)]
    }

    /// A conversation with an account of up to `limit` messages; returns how many it wrote.
    mutating func conversation(_ index: Int, span: (from: Int, to: Int), limit: Int) -> Int {
        let account = organization.accounts[index]
        let team = account.team.map { organization.mailboxes[$0] }
        let length = min(limit, 1 + min(rng.geometric(mean: 2.2), 14))
        let topic = rng.pick(Vocabulary.topics)
        let conversation = newConversation()
        // Who takes part.
        let ourLead = rng.chance(0.6) ? team[0] : rng.pick(team)
        var ourCopy: [Participant] = []
        if team.count > 1, rng.chance(0.25) {
            let other = rng.pick(team)
            if other != ourLead { ourCopy.append(other) }
        }
        if rng.chance(0.08) { ourCopy.append(rng.pick(organization.colleagues)) }
        let theirLead = contact(of: index)
        var theirCopy: [Participant] = []
        if rng.chance(0.3) {
            let other = contact(of: index)
            if other != theirLead { theirCopy.append(other) }
        }
        if !account.domainPeople.isEmpty, rng.chance(0.15) { theirCopy.append(rng.pick(account.domainPeople)) }
        if rng.chance(0.04), let other = partner(of: index) {
            let person = contact(of: other)
            if !theirCopy.contains(person), person != theirLead { theirCopy.append(person) }
        }
        // Who starts, and when.
        var ours = rng.chance(0.6)
        let zone = ours ? Zones.home : account.timeZone
        var time = workMoment(from: span.from, to: max(span.from + 3_600, span.to - 86_400), zone: zone)
        var previous: GeneratedEmail?
        var ids: [String] = []
        var written = 0
        for k in 0..<length {
            if k > 0 {
                let reply = rng.chance(0.8)
                if reply { ours.toggle() }
                time += reply ? replyDelay() : replyDelay() * 4
                if time >= span.to { break }
            }
            var from: Participant
            var to: [Participant]
            var cc: [Participant]
            var bcc: [Participant] = []
            if ours {
                from = ourLead
                // Now and then the colleague in copy answers (an unselected one gives a skipped message).
                if let other = ourCopy.first, k > 0, rng.chance(0.15) { from = other }
                to = [theirLead]
                cc = ([ourLead] + ourCopy).filter { $0 != from } + theirCopy
                if from.isSelected, team.count > 1, rng.chance(0.02) {
                    let hidden = rng.pick(team)
                    if hidden != from, !cc.contains(hidden) { bcc.append(hidden) }
                }
            } else {
                from = theirLead
                if let other = theirCopy.first, k > 0, rng.chance(0.2) { from = other }
                to = [ourLead]
                cc = ourCopy + ([theirLead] + theirCopy).filter { $0 != from }
            }
            // A few old mail systems send without a Message-ID.
            let noID = !ours && rng.chance(0.004)
            let email = emit(
                from: from, to: to, cc: cc, bcc: bcc, at: time, zone: ours ? Zones.home : account.timeZone,
                subject: k == 0 ? topic : "Re: \(topic)", conversation: conversation, inReplyTo: previous?.messageID,
                references: Array(ids.suffix(8)), withoutMessageID: noID)
            if let id = email.messageID { ids.append(id) }
            previous = email
            written += 1
        }
        return written
    }
}
