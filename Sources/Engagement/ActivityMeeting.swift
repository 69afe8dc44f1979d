import Foundation

/// One occurrence of a meeting: who organized it, who was invited, and when it ran.
public struct ActivityMeeting: Sendable, Hashable {
    /// The iCalendar UID (Graph: iCalUId), shared by every occurrence of a series.
    public var uid: String
    /// The original start of this occurrence when it belongs to a recurring series.
    public var recurrenceID: Date?
    public var organizer: String?
    public var attendees: [ActivityAttendee]
    public var start: Date
    public var end: Date
    /// A DATE-valued (or Graph isAllDay) event; start and end are midnights UTC.
    public var allDay: Bool
    public var cancelled: Bool

    public init(
        uid: String, recurrenceID: Date? = nil, organizer: String? = nil,
        attendees: [ActivityAttendee] = [], start: Date, end: Date,
        allDay: Bool = false, cancelled: Bool = false
    ) {
        self.uid = uid
        self.recurrenceID = recurrenceID
        self.organizer = organizer
        self.attendees = attendees
        self.start = start
        self.end = end
        self.allDay = allDay
        self.cancelled = cancelled
    }
}
