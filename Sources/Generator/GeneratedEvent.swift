import Engagement
import Foundation
import Ingest

/// One generated calendar event: a single meeting or a recurring series with its overrides, and its occurrences.
public struct GeneratedEvent: Sendable {
    /// A weekly or monthly series of `count` occurrences, with exceptions.
    public struct Recurrence: Sendable, Hashable {
        public enum Frequency: String, Sendable, Hashable {
            case weekly = "WEEKLY"
            case monthly = "MONTHLY"
        }

        public var frequency: Frequency
        public var count: Int
        /// Occurrence indices removed by EXDATE (no occurrence at all).
        public var excluded: [Int]
        /// Occurrence indices moved by an override to a new start (RECURRENCE-ID), with that start.
        public var moved: [Int: Int]
        /// Occurrence indices cancelled by an override with STATUS:CANCELLED.
        public var cancelled: [Int]
    }

    /// The iCalendar UID, shared by every occurrence and every calendar holding the event.
    public var uid: String
    public var subject: String
    public var organizer: Participant
    public var attendees: [GeneratedAttendee]
    /// The first occurrence's original start, seconds since 1970 UTC.
    public var start: Int
    /// Seconds.
    public var duration: Int
    /// "UTC", or the IANA zone the event is written in (and recurs on the wall clock of).
    public var zone: String
    /// A DATE-valued event: `start` is a midnight UTC and `duration` whole days.
    public var allDay: Bool
    /// STATUS:CANCELLED on the whole event.
    public var cancelled: Bool
    public var recurrence: Recurrence?
    /// The occurrences calendars expand it into (EXDATE'd ones absent), in original order.
    public var occurrences: [GeneratedOccurrence]
    /// The selected mailboxes whose calendars hold it (organizer and attendees), ascending.
    public var mailboxes: [Int]

    /// The original starts of every occurrence of the series (or the single start), in UTC.
    public func originalStarts() -> [Int] {
        guard let recurrence else { return [start] }
        let local = zone == "UTC" ? start : Zones.local(start, zone: zone)
        var out: [Int] = []
        out.reserveCapacity(recurrence.count)
        for k in 0..<recurrence.count {
            let wall: Int
            switch recurrence.frequency {
            case .weekly:
                wall = local + k * 7 * 86_400
            case .monthly:
                let day = RecurrenceDays.floorDiv(local, 86_400)
                let time = local - day * 86_400
                let (y, m, d) = CivilTime.civil(days: day)
                let months = (m - 1) + k
                wall = CivilTime.days(year: y + months / 12, month: months % 12 + 1, day: d) * 86_400 + time
            }
            out.append(zone == "UTC" ? wall : Zones.utc(fromLocal: wall, zone: zone))
        }
        return out
    }

    /// Every occurrence as the parsers produce it.
    public var records: [ActivityMeeting] {
        let organizerAddress = organizer.address
        let invitees = attendees.map {
            ActivityAttendee(address: $0.person.address, partstat: $0.partstat, role: $0.role, cutype: $0.cutype)
        }
        return occurrences.map { occurrence in
            ActivityMeeting(
                uid: uid, recurrenceID: occurrence.recurrenceID.map { Date(timeIntervalSince1970: TimeInterval($0)) },
                organizer: organizerAddress, attendees: invitees,
                start: Date(timeIntervalSince1970: TimeInterval(occurrence.start)),
                end: Date(timeIntervalSince1970: TimeInterval(occurrence.end)),
                allDay: allDay, cancelled: occurrence.cancelled)
        }
    }
}
