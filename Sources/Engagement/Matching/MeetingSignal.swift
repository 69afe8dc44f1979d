import Foundation

/// One meeting occurrence attributed to one account.
public struct MeetingSignal: Sendable, Hashable {
    /// The dedupe key: UID and the occurrence's recurrence id (or start).
    public var occurrenceKey: String
    public var start: Date
    public var end: Date
    public var direction: Direction
    public var accountID: String
    /// Selected people invited (organizer included), lowercase, distinct.
    public var internalParticipants: [String]
    /// The account's people invited (organizer included), lowercase, distinct; rooms and resources are not people.
    public var accountParticipants: [String]

    public init(
        occurrenceKey: String, start: Date, end: Date, direction: Direction, accountID: String,
        internalParticipants: [String], accountParticipants: [String]
    ) {
        self.occurrenceKey = occurrenceKey
        self.start = start
        self.end = end
        self.direction = direction
        self.accountID = accountID
        self.internalParticipants = internalParticipants
        self.accountParticipants = accountParticipants
    }
}
