/// One occurrence of a generated meeting, as calendars expand it.
public struct GeneratedOccurrence: Sendable, Hashable {
    /// Seconds since 1970 UTC.
    public var start: Int
    public var end: Int
    /// The original start within its series; nil for a single event.
    public var recurrenceID: Int?
    public var cancelled: Bool
    /// Moved from its original time by an override (RECURRENCE-ID).
    public var moved: Bool
    public var expectation: ExpectedOutcome
}
