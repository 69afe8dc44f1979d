import Ingest

extension ChunkBuilder {
    /// The organization-wide chunk: vendor newsletters, announcements to All Staff, cold mail from
    /// strangers, internal mail; a monthly all-hands (too large to count), customer webinars (too large
    /// too), a weekly internal one-to-one and a cancelled internal meeting.
    mutating func buildOrganizationWide() {
        let domain = organization.spec.domain
        let mailboxes = organization.mailboxes
        let ceo = organization.colleagues[0]
        let allStaff = Participant(address: "all-staff@\(domain)", name: "All Staff", role: .colleague)
        for _ in 0..<generator.globalEmails {
            let time = workMoment(from: earliest, to: asOf - 3_600, zone: Zones.home)
            switch rng.weighted([50, 20, 20, 10]) {
            case 0:
                let vendor = rng.pick(organization.vendors)
                _ = emit(
                    from: vendor, to: [rng.pick(mailboxes)], at: time, zone: "America/New_York", subject: "\(vendor.name): this week",
                    conversation: newConversation(), kind: .newsletter)
            case 1:
                _ = emit(
                    from: ceo, to: [allStaff], at: time, zone: Zones.home, subject: "Company update", conversation: newConversation(),
                    kind: .internal, mailboxes: Array(mailboxes.indices))
            case 2:
                _ = emit(
                    from: rng.pick(organization.strangers), to: [rng.pick(mailboxes)], at: time, zone: "America/Chicago",
                    subject: "Quick question", conversation: newConversation())
            default:
                let from = rng.pick(mailboxes)
                let to = mailboxes.count > 1 ? mailboxes.filter { $0 != from }[rng.below(mailboxes.count - 1)] : ceo
                _ = emit(from: from, to: [to], at: time, zone: Zones.home, subject: "Lunch?", conversation: newConversation(), kind: .internal)
            }
        }
        var left = generator.globalMeetings
        // The monthly all-hands: every user invited (up to 300), far above the 50-person limit.
        let allHands = min(12, left)
        if allHands > 0 {
            var invited = (mailboxes + organization.colleagues.dropFirst()).prefix(300).map {
                GeneratedAttendee(person: $0, partstat: answer(declineShare: 0.02), role: "REQ-PARTICIPANT")
            }
            invited.append(GeneratedAttendee(person: organization.rooms[0], partstat: "ACCEPTED", role: "NON-PARTICIPANT"))
            // On the 5th of each month from about 11 months back; the last may fall after the as-of time.
            let day = RecurrenceDays.floorDiv(asOf - 345 * 86_400, 86_400)
            var (y, m, d) = CivilTime.civil(days: day)
            if d > 5 { (y, m) = m == 12 ? (y + 1, 1) : (y, m + 1) }
            let wall = CivilTime.days(year: y, month: m, day: 5) * 86_400 + 16 * 3_600
            var event = GeneratedEvent(
                uid: eventUID(), subject: "All-hands", organizer: ceo, attendees: Array(invited),
                start: Zones.utc(fromLocal: wall, zone: Zones.home), duration: 3_600, zone: Zones.home,
                allDay: false, cancelled: false, recurrence: nil, occurrences: [], mailboxes: [])
            event.recurrence = .init(frequency: .monthly, count: allHands, excluded: [], moved: [:], cancelled: [])
            emit(event)
            left -= allHands
        }
        // Customer webinars: many accounts' contacts at once.
        let contacts = generator.people.compactMap(\.first).prefix(70)
        for k in 0..<min(2, left) {
            var invited = contacts.map { GeneratedAttendee(person: $0, partstat: answer(declineShare: 0.2), role: "OPT-PARTICIPANT") }
            invited.append(GeneratedAttendee(person: mailboxes[1], partstat: "ACCEPTED", role: "REQ-PARTICIPANT"))
            emit(GeneratedEvent(
                uid: eventUID(), subject: "Customer webinar", organizer: mailboxes[0], attendees: invited,
                start: workMoment(from: asOf - (300 - k * 150) * 86_400, to: asOf - (290 - k * 150) * 86_400, zone: Zones.home),
                duration: 3_600, zone: "UTC", allDay: false, cancelled: false, recurrence: nil, occurrences: [], mailboxes: []))
            left -= 1
        }
        // A cancelled internal meeting.
        if left > 0 {
            emit(GeneratedEvent(
                uid: eventUID(), subject: "Pipeline review", organizer: mailboxes[0],
                attendees: [GeneratedAttendee(person: mailboxes[1], partstat: "ACCEPTED", role: "REQ-PARTICIPANT")],
                start: workMoment(from: asOf - 60 * 86_400, to: asOf - 50 * 86_400, zone: Zones.home) / 1_800 * 1_800,
                duration: 1_800, zone: "UTC", allDay: false, cancelled: true, recurrence: nil, occurrences: [], mailboxes: []))
            left -= 1
        }
        // A weekly internal one-to-one for the rest.
        if left > 0 {
            let day = RecurrenceDays.floorDiv(asOf - 300 * 86_400, 86_400)
            let monday = day - (day + 3) % 7
            let wall = (monday + 2) * 86_400 + 13 * 3_600
            var event = GeneratedEvent(
                uid: eventUID(), subject: "1:1", organizer: mailboxes[0],
                attendees: [GeneratedAttendee(person: mailboxes[1], partstat: "ACCEPTED", role: "REQ-PARTICIPANT")],
                start: Zones.utc(fromLocal: wall, zone: Zones.home), duration: 1_800, zone: Zones.home, allDay: false,
                cancelled: false, recurrence: nil, occurrences: [], mailboxes: [])
            event.recurrence = .init(frequency: .weekly, count: min(left, 40), excluded: [], moved: [:], cancelled: [])
            emit(event)
        }
    }
}
