import Engagement

/// Works out an `ExpectedOutcome` from the roles the generator gave the participants, following docs/matching.md.
///
/// This restates the documented rules on the generator's own knowledge of who
/// is who (never on addresses); the tests hold it equal to the production
/// classifier, so a difference means the rules or the generator changed.
enum OutcomeRules {
    /// The importer's window test first, then the email rules in precedence order (no exclusion lists).
    static func email(
        from: Participant, recipients: [Participant], kind: GeneratedEmail.Kind, sentAt: Int, windowStart: Int, asOf: Int
    ) -> ExpectedOutcome {
        if sentAt < windowStart || sentAt > asOf { return .outsideWindow }
        switch kind {
        case .autoReply: return .skipped(.autoSubmitted)
        case .newsletter: return .skipped(.bulk)
        case .noReply: return .skipped(.noReplySender)
        case .conversation, .internal: break
        }
        var people: [Participant] = []
        var seen = Set<String>()
        for person in recipients where seen.insert(person.address).inserted { people.append(person) }
        if from.isInternal, people.allSatisfy(\.isInternal) { return .skipped(.internalOnly) }
        let anySelected = people.contains(where: \.isSelected)
        switch from.role {
        case .colleague:
            return .skipped(.noSelectedParticipant)
        case .account(let account):
            return anySelected ? .counted([.init(account: account, toAccount: false)]) : .skipped(.noSelectedParticipant)
        case .nobody:
            return anySelected ? .skipped(.noAccount) : .skipped(.noSelectedParticipant)
        case .selected:
            var accounts: [Int] = []
            for person in people {
                if let account = person.accountIndex, !accounts.contains(account) { accounts.append(account) }
            }
            guard !accounts.isEmpty else { return .skipped(.noAccount) }
            return .counted(accounts.sorted().map { .init(account: $0, toAccount: true) })
        }
    }

    /// The importer's window test first, then the meeting rules in precedence order.
    static func meeting(
        organizer: Participant, attendees: [GeneratedAttendee], cancelled: Bool, start: Int, windowStart: Int, asOf: Int,
        maximumAttendees: Int = 50
    ) -> ExpectedOutcome {
        if start < windowStart || start > asOf { return .outsideWindow }
        if cancelled { return .skipped(.cancelledMeeting) }
        var invitees: [GeneratedAttendee] = []
        var seen: Set<String> = [organizer.address]
        for attendee in attendees where !attendee.person.isRoom && seen.insert(attendee.person.address).inserted {
            invitees.append(attendee)
        }
        if invitees.count + 1 > maximumAttendees { return .skipped(.largeMeeting) }
        if organizer.isInternal, invitees.allSatisfy({ $0.person.isInternal }) { return .skipped(.internalOnly) }
        let anySelected = invitees.contains { $0.person.isSelected }
        switch organizer.role {
        case .colleague:
            return .skipped(.noSelectedParticipant)
        case .account(let account):
            return anySelected ? .counted([.init(account: account, toAccount: false)]) : .skipped(.noSelectedParticipant)
        case .nobody:
            return anySelected ? .skipped(.noAccount) : .skipped(.noSelectedParticipant)
        case .selected:
            var accounts: [Int] = []
            for invitee in invitees {
                if let account = invitee.person.accountIndex, !accounts.contains(account) { accounts.append(account) }
            }
            guard !accounts.isEmpty else { return .skipped(.noAccount) }
            let attending = accounts.filter { account in
                invitees.contains { $0.person.accountIndex == account && $0.partstat != "DECLINED" }
            }
            guard !attending.isEmpty else { return .skipped(.declinedMeeting) }
            return .counted(attending.sorted().map { .init(account: $0, toAccount: true) })
        }
    }
}
