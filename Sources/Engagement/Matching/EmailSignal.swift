import Foundation

/// One email attributed to one account: what the activity store keeps (addresses are hashed there).
public struct EmailSignal: Sendable, Hashable {
    /// The dedupe key: the Message-ID when present, else a documented hash of sender, date and recipients.
    public var messageKey: String
    public var sentAt: Date
    public var direction: Direction
    public var accountID: String
    /// The selected addresses that took part (sender or recipient), lowercase, distinct.
    public var internalParticipants: [String]
    /// The account's addresses that took part, lowercase, distinct.
    public var accountParticipants: [String]
    /// The message keys this email replies to (In-Reply-To, then References), in order.
    public var repliesTo: [String]
    /// Graph's conversation id, the reply fallback when In-Reply-To is missing.
    public var conversationID: String?

    public init(
        messageKey: String, sentAt: Date, direction: Direction, accountID: String, internalParticipants: [String],
        accountParticipants: [String], repliesTo: [String], conversationID: String?
    ) {
        self.messageKey = messageKey
        self.sentAt = sentAt
        self.direction = direction
        self.accountID = accountID
        self.internalParticipants = internalParticipants
        self.accountParticipants = accountParticipants
        self.repliesTo = repliesTo
        self.conversationID = conversationID
    }
}
