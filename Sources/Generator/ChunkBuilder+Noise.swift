extension ChunkBuilder {
    /// One message about an account that must not count: a newsletter, a notification, an
    /// out-of-office answer, internal mail, mail to a distribution list, or mail with a stranger.
    mutating func noiseEmail(_ index: Int, span: (from: Int, to: Int)) {
        let account = organization.accounts[index]
        let team = account.team.map { organization.mailboxes[$0] }
        let owner = team[0]
        let topic = rng.pick(Vocabulary.topics)
        let anyTime = workMoment(from: earliest, to: asOf - 3_600, zone: account.timeZone)
        let spanTime = workMoment(from: span.from, to: max(span.from + 3_600, span.to - 3_600), zone: account.timeZone)
        let domain = account.domains.first
        switch rng.weighted([40, 15, 10, 20, 7, 8]) {
        case 0:
            let sender = domain.map {
                Participant(address: "\(rng.chance(0.5) ? "news" : "marketing")@\($0)", name: "\(account.name) News", role: .account(index))
            } ?? rng.pick(organization.vendors)
            _ = emit(
                from: sender, to: [rng.pick(team)], at: anyTime, zone: account.timeZone, subject: "\(account.name) newsletter",
                conversation: newConversation(), kind: .newsletter)
        case 1 where domain != nil:
            let local = ["no-reply", "notifications-noreply", "donotreply", "noreply"][rng.below(4)]
            let sender = Participant(address: "\(local)@\(domain!)", name: "\(account.name) Notifications", role: .account(index))
            _ = emit(
                from: sender, to: [owner], at: anyTime, zone: account.timeZone, subject: "Your ticket has been updated",
                conversation: newConversation(), kind: .noReply)
        case 2:
            _ = emit(
                from: contact(of: index), to: [rng.pick(team)], at: spanTime, zone: account.timeZone,
                subject: "Automatic reply: \(topic)", conversation: newConversation(), kind: .autoReply)
        case 3, 1:
            let others = team.count > 1 ? team.filter { $0 != owner } : [rng.pick(organization.colleagues)]
            _ = emit(
                from: owner, to: [rng.pick(others)], cc: rng.chance(0.3) ? [rng.pick(organization.colleagues)] : [],
                at: spanTime, zone: Zones.home, subject: "\(account.name): \(topic)", conversation: newConversation(),
                kind: .internal)
        case 4:
            // Written to the sales distribution list: its members hold a copy, but no selected address is in the headers.
            let list = Participant(address: "sales@\(organization.spec.domain)", name: "Sales", role: .colleague)
            _ = emit(
                from: contact(of: index), to: [list], at: spanTime, zone: account.timeZone, subject: topic,
                conversation: newConversation(), mailboxes: generator.salesMailboxes)
        default:
            let stranger = rng.pick(organization.strangers)
            if rng.chance(0.5) {
                _ = emit(from: owner, to: [stranger], at: spanTime, zone: Zones.home, subject: topic, conversation: newConversation())
            } else {
                _ = emit(from: stranger, to: [owner], at: spanTime, zone: Zones.home, subject: topic, conversation: newConversation())
            }
        }
    }
}
