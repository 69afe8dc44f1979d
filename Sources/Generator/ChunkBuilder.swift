import Engagement
import Foundation

/// Builds one chunk of activity: the state and helpers the thread, noise and meeting builders share.
struct ChunkBuilder {
    let generator: ActivityGenerator
    let organization: SyntheticOrganization
    let chunkIndex: Int
    var rng: SeededRandom
    var emails: [GeneratedEmail] = []
    var events: [GeneratedEvent] = []
    var conversations: UInt64 = 0
    let asOf: Int
    let windowStart: Int
    /// The earliest activity: two weeks before the window, so some of it falls outside.
    let earliest: Int

    /// The random stream of chunks (per chunk index).
    static let activityStream: UInt64 = 100

    init(generator: ActivityGenerator, chunk: Int) {
        self.generator = generator
        organization = generator.organization
        chunkIndex = chunk
        rng = SeededRandom.stream(seed: organization.spec.seed, Self.activityStream, UInt64(chunk))
        asOf = organization.spec.asOfSeconds
        windowStart = organization.spec.windowStartSeconds
        earliest = windowStart - 14 * 86_400
    }

    // MARK: - Identifiers

    /// A Message-ID (without brackets) as the sender's system would make it.
    mutating func messageID(for sender: Participant) -> String {
        let domain = sender.domain
        switch rng.below(4) {
        case 0: return "\(rng.hex(8))-\(rng.hex(4))-\(rng.hex(4))-\(rng.hex(12))@\(domain)"
        case 1 where domain.hasSuffix("gmail.com"): return "CA+\(rng.hex(24))@mail.gmail.com"
        default: return "\(rng.hex(20)).\(rng.hex(6))@\(domain)"
        }
    }

    /// A new conversation number, unique in the organization.
    mutating func newConversation() -> UInt64 {
        conversations += 1
        return UInt64(chunkIndex) << 32 | conversations
    }

    /// An iCalendar UID as Outlook writes them.
    mutating func eventUID() -> String {
        "040000008200E00074C5B7101A82E008\(rng.hex(32).uppercased())"
    }

    // MARK: - Time

    /// A working-day moment between `from` and `to` (UTC seconds): 08:00–18:00 on a weekday, in `zone`.
    mutating func workMoment(from: Int, to: Int, zone: String) -> Int {
        guard to > from + 86_400 else { return from + rng.below(max(1, to - from)) }
        for _ in 0..<8 {
            let instant = from + rng.below(to - from)
            let local = Zones.local(instant, zone: zone)
            let day = RecurrenceDays.floorDiv(local, 86_400)
            let weekday = (day + 3) % 7  // 0 = Monday
            if weekday >= 5, rng.chance(0.93) { continue }
            let wall = day * 86_400 + (8 + rng.below(10)) * 3_600 + rng.below(3_600)
            let moment = Zones.utc(fromLocal: wall, zone: zone)
            if moment >= from, moment < to { return moment }
        }
        return from + rng.below(to - from)
    }

    /// A reply delay in seconds: log-normal, minutes to days (median 2.5 hours).
    mutating func replyDelay() -> Int {
        let minutes = min(max(rng.logNormal(median: 150, sigma: 1.4), 2), 14 * 1_440)
        return Int(minutes * 60) + rng.below(60)
    }

    // MARK: - Emitting

    /// Adds an email; its expectation and mailboxes are worked out from the roles.
    mutating func emit(
        from: Participant, to: [Participant], cc: [Participant] = [], bcc: [Participant] = [], at sentAt: Int, zone: String,
        subject: String, conversation: UInt64, kind: GeneratedEmail.Kind = .conversation, inReplyTo: String? = nil,
        references: [String] = [], withoutMessageID: Bool = false, mailboxes delivered: [Int]? = nil
    ) -> GeneratedEmail {
        let expectation = OutcomeRules.email(
            from: from, recipients: to + cc + bcc, kind: kind, sentAt: sentAt, windowStart: windowStart, asOf: asOf)
        var mailboxes: [Int] = []
        if let delivered {
            mailboxes = delivered
        } else {
            for person in [from] + to + cc + bcc {
                if let index = person.mailboxIndex, !mailboxes.contains(index) { mailboxes.append(index) }
            }
            mailboxes.sort()
        }
        let email = GeneratedEmail(
            messageID: withoutMessageID ? nil : messageID(for: from), from: from, to: to, cc: cc, bcc: bcc, sentAt: sentAt,
            zone: zone, inReplyTo: inReplyTo, references: references, subject: subject, conversation: conversation, kind: kind,
            expectation: expectation, mailboxes: mailboxes)
        emails.append(email)
        return email
    }

    /// Adds an event; its occurrences, their expectations and its mailboxes are worked out here.
    mutating func emit(_ draft: GeneratedEvent) {
        var event = draft
        let starts = event.originalStarts()
        var occurrences: [GeneratedOccurrence] = []
        for (index, original) in starts.enumerated() {
            var cancelled = event.cancelled
            var start = original
            var moved = false
            if let recurrence = event.recurrence {
                if recurrence.excluded.contains(index) { continue }
                if recurrence.cancelled.contains(index) { cancelled = true }
                if let newStart = recurrence.moved[index] {
                    start = newStart
                    moved = true
                }
            }
            let expectation = OutcomeRules.meeting(
                organizer: event.organizer, attendees: event.attendees, cancelled: cancelled, start: start,
                windowStart: windowStart, asOf: asOf)
            occurrences.append(GeneratedOccurrence(
                start: start, end: start + event.duration, recurrenceID: event.recurrence == nil ? nil : original,
                cancelled: cancelled, moved: moved, expectation: expectation))
        }
        event.occurrences = occurrences
        var mailboxes: [Int] = []
        for person in [event.organizer] + event.attendees.map(\.person) {
            if let index = person.mailboxIndex, !mailboxes.contains(index) { mailboxes.append(index) }
        }
        event.mailboxes = mailboxes.sorted()
        events.append(event)
    }

    /// An attendee's answer: mostly accepted.
    mutating func answer(declineShare: Double = 0.05) -> String {
        let u = rng.unit()
        if u < declineShare { return "DECLINED" }
        if u < declineShare + 0.10 { return "TENTATIVE" }
        if u < declineShare + 0.25 { return "NEEDS-ACTION" }
        return "ACCEPTED"
    }

    /// A meeting length in seconds.
    mutating func meetingLength() -> Int {
        [15, 30, 30, 30, 30, 30, 45, 45, 60, 60, 60, 60, 90][rng.below(13)] * 60
    }
}
