import Foundation

/// The header metadata of one email: who wrote to whom, when, and in reply to what.
///
/// Addresses are lowercase `local@domain`; message ids carry no angle brackets.
public struct ActivityEmail: Sendable, Hashable {
    /// The Message-ID (Graph: internetMessageId), without angle brackets.
    public var messageID: String?
    /// The first address of From.
    public var from: String?
    /// The Sender address, when the message names one.
    public var sender: String?
    public var to: [String]
    public var cc: [String]
    public var bcc: [String]
    /// When the message was sent (Date header, or Graph sentDateTime).
    public var sentAt: Date?
    /// The message ids of In-Reply-To, in order.
    public var inReplyTo: [String]
    /// The message ids of References, in order.
    public var references: [String]
    /// List mail, bulk mail or machine-generated mail (see `autoSubmitted`).
    public var bulk: Bool
    /// An Auto-Submitted header with a value other than `no`.
    public var autoSubmitted: Bool
    /// Graph's conversationId, used as a reply fallback; nil for files.
    public var conversationID: String?

    public init(
        messageID: String? = nil, from: String? = nil, sender: String? = nil,
        to: [String] = [], cc: [String] = [], bcc: [String] = [], sentAt: Date? = nil,
        inReplyTo: [String] = [], references: [String] = [], bulk: Bool = false,
        autoSubmitted: Bool = false, conversationID: String? = nil
    ) {
        self.messageID = messageID
        self.from = from
        self.sender = sender
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.sentAt = sentAt
        self.inReplyTo = inReplyTo
        self.references = references
        self.bulk = bulk
        self.autoSubmitted = autoSubmitted
        self.conversationID = conversationID
    }
}
