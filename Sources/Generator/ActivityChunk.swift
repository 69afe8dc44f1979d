/// The activity of one account (or of the organization as a whole): its emails and calendar events.
public struct ActivityChunk: Sendable {
    /// The account, or nil for the organization-wide chunk (all-hands, webinars, vendor mail, internal mail).
    public var account: Int?
    public var emails: [GeneratedEmail]
    public var events: [GeneratedEvent]

    /// Distinct emails and meeting occurrences.
    public var recordCount: Int { emails.count + events.reduce(0) { $0 + $1.occurrences.count } }
}
