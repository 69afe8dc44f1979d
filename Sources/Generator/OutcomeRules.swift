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
        if let decided = bySender(from.role, anySelected: people.contains(where: \.isSelected)) { return decided }
        let accounts = accounts(of: people)
        guard !accounts.isEmpty else { return .skipped(.noAccount) }
        return .counted(accounts.sorted().map { .init(account: $0, toAccount: true) })
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
        if let decided = bySender(organizer.role, anySelected: invitees.contains { $0.person.isSelected }) { return decided }
        let accounts = accounts(of: invitees.map(\.person))
        guard !accounts.isEmpty else { return .skipped(.noAccount) }
        let attending = accounts.filter { account in
            invitees.contains { $0.person.accountIndex == account && $0.partstat != "DECLINED" }
        }
        guard !attending.isEmpty else { return .skipped(.declinedMeeting) }
        return .counted(attending.sorted().map { .init(account: $0, toAccount: true) })
    }

    /// The outcome the sender's (organizer's) role decides alone; nil for a selected one, whose
    /// message or meeting counts toward the accounts of the other people.
    private static func bySender(_ role: Participant.Role, anySelected: Bool) -> ExpectedOutcome? {
        switch role {
        case .colleague: .skipped(.noSelectedParticipant)
        case .account(let account): anySelected ? .counted([.init(account: account, toAccount: false)]) : .skipped(.noSelectedParticipant)
        case .nobody: anySelected ? .skipped(.noAccount) : .skipped(.noSelectedParticipant)
        case .selected: nil
        }
    }

    /// The distinct accounts of `people`, in order of appearance.
    private static func accounts(of people: [Participant]) -> [Int] {
        var accounts: [Int] = []
        for person in people {
            if let account = person.accountIndex, !accounts.contains(account) { accounts.append(account) }
        }
        return accounts
    }
}
