import Foundation

/// One occurrence of a meeting: a single event, an occurrence of a series, or a changed one (exception).
///
/// The organizer's calendar holds it unless it is cancelled; each tenant
/// attendee's calendar holds a copy, marked `isCancelled` when it is.
public struct FakeOccurrence: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case singleInstance, occurrence, exception
    }

    public struct Attendee: Sendable, Equatable {
        public var address: String
        /// `required`, `optional` or `resource`.
        public var type: String
        /// `accepted`, `tentativelyAccepted`, `declined`, `none`, `notResponded`.
        public var response: String

        public init(address: String, type: String = "required", response: String = "accepted") {
            self.address = address
            self.type = type
            self.response = response
        }
    }

    /// The iCalendar UID (Graph: iCalUId), shared by a series' occurrences.
    public var uid: String
    public var kind: Kind
    /// For occurrences and exceptions: where the series put it.
    public var originalStart: Date?
    public var start: Date
    public var end: Date
    public var organizer: String
    public var attendees: [Attendee]
    public var cancelled: Bool
    /// Never to be stored anywhere by Rapport.
    public var subject: String

    public init(
        uid: String, kind: Kind = .singleInstance, originalStart: Date? = nil, start: Date, end: Date, organizer: String, attendees: [Attendee],
        cancelled: Bool = false, subject: String
    ) {
        self.uid = uid
        self.kind = kind
        self.originalStart = originalStart
        self.start = start
        self.end = end
        self.organizer = organizer
        self.attendees = attendees
        self.cancelled = cancelled
        self.subject = subject
    }

    /// Identifies the occurrence within its series (and across calendars).
    public var key: String { "\(uid)|\(Int((originalStart ?? start).timeIntervalSince1970))" }
}
