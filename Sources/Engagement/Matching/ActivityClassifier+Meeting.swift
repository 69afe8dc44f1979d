import Foundation

extension ActivityClassifier {
    /// Classifies one meeting occurrence: a signal per account, or the first noise rule it hit.
    ///
    /// Precedence: cancelled, implausibly long, excluded organizer, large, then (with excluded
    /// attendees dropped) internal-only, no selected participant in the required
    /// role, no account, every account attendee declined. A skip is blamed on
    /// the exclusion lists only when the meeting would have counted without
    /// them. Rooms and resources are never people.
    public func classify(_ meeting: ActivityMeeting) -> Classification<MeetingSignal> {
        if rules.cancelledMeetings, meeting.cancelled { return .skipped(.cancelledMeeting) }
        if rules.longMeetings, meeting.end.timeIntervalSince(meeting.start) > Double(rules.maximumMeetingHours) * 3600 {
            return .skipped(.implausibleDuration)
        }
        let organizer = EmailAddress.normalizeNonEmpty(meeting.organizer)
        if let organizer, let rule = exclusion(of: organizer) { return .skipped(rule) }
        let invitees = Self.invitees(of: meeting, organizer: organizer)
        if rules.largeMeetings, invitees.count + (organizer == nil ? 0 : 1) > rules.maximumAttendees {
            return .skipped(.largeMeeting)
        }
        let index = ParticipantIndex(matcher: matcher, addresses: (organizer.map { [$0] } ?? []) + invitees.map(\.address))
        let facts = MeetingFacts(
            occurrenceKey: Self.occurrenceKey(of: meeting), start: meeting.start, end: meeting.end
        )
        let (keptAddresses, exclusionRule) = droppingExcluded(invitees.map(\.address))
        let keptSet = Set(keptAddresses)
        let kept = invitees.filter { keptSet.contains($0.address) }
        let outcome = attribute(facts, organizer: organizer, invitees: kept, index: index)
        guard let exclusionRule, case .skipped = outcome else { return outcome }
        let unexcluded = attribute(facts, organizer: organizer, invitees: invitees, index: index)
        if case .skipped = unexcluded { return unexcluded }
        return .skipped(exclusionRule)
    }

    /// The people invited besides the organizer: distinct, rooms and resources left out.
    ///
    /// An address listed twice counts as declined only when every entry declined.
    static func invitees(of meeting: ActivityMeeting, organizer: String?) -> [Invitee] {
        var order: [String] = []
        var declined: [String: Bool] = [:]
        for attendee in meeting.attendees where !isRoomOrResource(attendee) {
            guard let address = EmailAddress.normalizeNonEmpty(attendee.address), address != organizer else { continue }
            let isDeclined = attendee.partstat?.uppercased() == "DECLINED"
            if let previous = declined[address] {
                declined[address] = previous && isDeclined
            } else {
                order.append(address)
                declined[address] = isDeclined
            }
        }
        return order.map { Invitee(address: $0, declined: declined[$0]!) }
    }

    /// CUTYPE ROOM or RESOURCE: a place or a thing, never a person.
    static func isRoomOrResource(_ attendee: ActivityAttendee) -> Bool {
        switch attendee.cutype?.uppercased() {
        case "ROOM", "RESOURCE": true
        default: false
        }
    }

    /// The direction rules of a meeting, on people that passed the exclusion lists.
    private func attribute(
        _ facts: MeetingFacts, organizer: String?, invitees: [Invitee], index: ParticipantIndex
    ) -> Classification<MeetingSignal> {
        let everyone = (organizer.map { [$0] } ?? []) + invitees.map(\.address)
        if rules.internalOnly, !everyone.isEmpty, everyone.allSatisfy(index.isInternal) {
            return .skipped(.internalOnly)
        }
        let selectedInvitees = invitees.map(\.address).filter(index.isSelected)
        if let organizer, index.isSelected(organizer) {
            var byAccount: [String: [Invitee]] = [:]
            for invitee in invitees {
                if let accountID = index.account(of: invitee.address) { byAccount[accountID, default: []].append(invitee) }
            }
            guard !byAccount.isEmpty else { return .skipped(.noAccount) }
            let ours = ByteOrder.sortedDistinct([organizer] + selectedInvitees)
            let signals = byAccount.keys.sorted(by: ByteOrder.less).compactMap { accountID -> MeetingSignal? in
                let theirs = byAccount[accountID]!
                if rules.declinedMeetings, theirs.allSatisfy(\.declined) { return nil }
                return facts.signal(.toAccount, accountID, ours, ByteOrder.sortedDistinct(theirs.map(\.address)))
            }
            return signals.isEmpty ? .skipped(.declinedMeeting) : .signals(signals)
        }
        if let organizer, let accountID = index.account(of: organizer) {
            guard !selectedInvitees.isEmpty else { return .skipped(.noSelectedParticipant) }
            let theirs = [organizer] + invitees.map(\.address).filter { index.account(of: $0) == accountID }
            return .signals([
                facts.signal(.fromAccount, accountID, ByteOrder.sortedDistinct(selectedInvitees), ByteOrder.sortedDistinct(theirs)),
            ])
        }
        // The organizer is neither selected nor an account's: an unselected colleague, a stranger, or unknown.
        if let organizer, index.isInternal(organizer) { return .skipped(.noSelectedParticipant) }
        return .skipped(selectedInvitees.isEmpty ? .noSelectedParticipant : .noAccount)
    }
}

/// The per-occurrence facts every signal of one meeting shares.
private struct MeetingFacts {
    var occurrenceKey: String
    var start: Date
    var end: Date

    func signal(_ direction: Direction, _ accountID: String, _ ours: [String], _ theirs: [String]) -> MeetingSignal {
        MeetingSignal(
            occurrenceKey: occurrenceKey, start: start, end: end, direction: direction, accountID: accountID,
            internalParticipants: ours, accountParticipants: theirs
        )
    }
}
