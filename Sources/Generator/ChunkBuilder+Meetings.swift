extension ChunkBuilder {
    /// An account's meetings: a weekly series for the busier ones (with a moved, a cancelled and an
    /// excluded occurrence), single meetings either way, cancelled and declined ones, all-day workshops,
    /// and for hot accounts a meeting already booked after the as-of time.
    mutating func buildMeetings(_ index: Int, quota: Int, span: (from: Int, to: Int)) {
        guard quota > 0 else { return }
        let account = organization.accounts[index]
        let team = account.team.map { organization.mailboxes[$0] }
        var left = quota
        if account.tier == .hot, left >= 2 {
            // Booked for next week: not started yet, so outside the window.
            var event = single(index, organizer: team[0], at: workMoment(from: asOf + 2 * 86_400, to: asOf + 20 * 86_400, zone: Zones.home))
            event.subject = "Next steps"
            emit(event)
            left -= 1
        }
        if left >= 8, account.tier != .inactive {
            left -= weeklySeries(index, occurrences: min(max(4, left * 6 / 10), 40), span: span)
        }
        while left > 0 {
            let start = workMoment(from: span.from, to: max(span.from + 3_600, span.to - 86_400), zone: Zones.home)
            let ours = rng.chance(0.65)
            var event = single(index, organizer: ours ? rng.pick(team) : contact(of: index), at: start)
            if rng.chance(0.04) { event.cancelled = true }
            if ours, rng.chance(0.05) {
                // Every account invitee declined.
                for k in event.attendees.indices where event.attendees[k].person.accountIndex != nil {
                    event.attendees[k].partstat = "DECLINED"
                }
            }
            if rng.chance(0.015) {
                // An all-day workshop on site (DATE values).
                event.allDay = true
                event.start = RecurrenceDays.floorDiv(start, 86_400) * 86_400
                event.duration = 86_400
                event.zone = "UTC"
                event.subject = "On-site workshop"
            }
            emit(event)
            left -= 1
        }
    }

    /// A single meeting with an account, organized by one of ours (`organizer` selected) or by one of theirs.
    mutating func single(_ index: Int, organizer: Participant, at start: Int) -> GeneratedEvent {
        let account = organization.accounts[index]
        let team = account.team.map { organization.mailboxes[$0] }
        var attendees: [GeneratedAttendee] = []
        if organizer.isSelected {
            var invited: [Participant] = []
            for _ in 0..<(1 + rng.weighted([5, 3, 1])) {
                let person = contact(of: index)
                if !invited.contains(person) { invited.append(person) }
            }
            if !account.domainPeople.isEmpty, rng.chance(0.1) { invited.append(rng.pick(account.domainPeople)) }
            for person in invited { attendees.append(GeneratedAttendee(person: person, partstat: answer(), role: "REQ-PARTICIPANT")) }
            if team.count > 1, rng.chance(0.3), let colleague = team.first(where: { $0 != organizer }) {
                attendees.append(GeneratedAttendee(person: colleague, partstat: "ACCEPTED", role: "OPT-PARTICIPANT"))
            }
        } else {
            for person in team.prefix(1 + rng.below(min(2, team.count))) {
                attendees.append(GeneratedAttendee(person: person, partstat: answer(declineShare: 0.1), role: "REQ-PARTICIPANT"))
            }
            let other = contact(of: index)
            if other != organizer, rng.chance(0.3) {
                attendees.append(GeneratedAttendee(person: other, partstat: "ACCEPTED", role: "REQ-PARTICIPANT"))
            }
        }
        if organizer.isSelected, rng.chance(0.2) {
            attendees.append(GeneratedAttendee(person: rng.pick(organization.rooms), partstat: "ACCEPTED", role: "NON-PARTICIPANT"))
        }
        let zone = organizer.isSelected ? (rng.chance(0.3) ? Zones.home : "UTC") : (rng.chance(0.3) ? account.timeZone : "UTC")
        return GeneratedEvent(
            uid: eventUID(), subject: rng.pick(Vocabulary.meetingTopics), organizer: organizer, attendees: attendees,
            start: start - start % 1_800, duration: meetingLength(), zone: zone, allDay: false, cancelled: false,
            recurrence: nil, occurrences: [], mailboxes: [])
    }

    /// A weekly series at a fixed local time in the organization's zone; returns the occurrences it made.
    mutating func weeklySeries(_ index: Int, occurrences wanted: Int, span: (from: Int, to: Int)) -> Int {
        let account = organization.accounts[index]
        let owner = organization.mailboxes[account.team[0]]
        // Hot accounts' series may run on past the as-of time (those occurrences are outside the window).
        let end = account.tier == .hot ? min(span.to + 3 * 7 * 86_400, asOf + 25 * 86_400) : span.to - 86_400
        var count = wanted + (wanted >= 6 ? 1 : 0)
        let weeks = (end - span.from) / (7 * 86_400) - 1
        count = min(count, max(1, weeks))
        let first = end - count * 7 * 86_400
        let day = RecurrenceDays.floorDiv(Zones.local(max(first, span.from), zone: Zones.home), 86_400)
        let weekday = (day + 3) % 7
        let monday = day - weekday
        let wall = (monday + rng.below(5)) * 86_400 + [9, 10, 11, 14, 15, 16][rng.below(6)] * 3_600
        var event = single(index, organizer: owner, at: Zones.utc(fromLocal: wall, zone: Zones.home))
        event.start = Zones.utc(fromLocal: wall, zone: Zones.home)
        event.zone = Zones.home
        event.subject = "Weekly sync"
        event.duration = 30 * 60
        event.cancelled = false
        var recurrence = GeneratedEvent.Recurrence(frequency: .weekly, count: count, excluded: [], moved: [:], cancelled: [])
        if count >= 4 {
            recurrence.cancelled = [count / 3]
            // Moved a day later and an hour earlier, keeping its recurrence id.
            let moved = count / 2
            let original = Zones.utc(fromLocal: wall + moved * 7 * 86_400, zone: Zones.home)
            recurrence.moved = [moved: original + 86_400 - 3_600]
        }
        if count >= 6 { recurrence.excluded = [count - 2] }
        event.recurrence = recurrence
        emit(event)
        return events.last!.occurrences.count
    }
}
