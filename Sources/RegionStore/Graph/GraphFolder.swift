/// A folder the connector reads in each selected mailbox.
public enum GraphFolder: String, Sendable, Codable, CaseIterable {
    case inbox
    /// Sent Items (well-known name `sentitems`).
    case sentItems = "sentitems"
    /// The calendar, read through `calendarView/delta`.
    case calendar

    public static let mail: [GraphFolder] = [.inbox, .sentItems]
}
