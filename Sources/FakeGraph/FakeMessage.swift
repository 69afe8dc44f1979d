import Foundation

/// One email of the fake tenant; the server holds a copy in the sender's Sent Items and each tenant recipient's Inbox.
public struct FakeMessage: Sendable, Equatable {
    /// `<…>`-less Message-ID.
    public var internetMessageID: String
    public var conversationID: String
    public var from: String
    public var to: [String]
    public var cc: [String]
    public var bcc: [String]
    public var sentAt: Date
    public var inReplyTo: String?
    public var references: [String]
    /// List mail (`List-Unsubscribe`).
    public var bulk: Bool
    /// An automatic reply (`Auto-Submitted: auto-replied`).
    public var autoSubmitted: Bool
    /// Never to be stored anywhere by Rapport.
    public var subject: String

    public init(
        internetMessageID: String, conversationID: String, from: String, to: [String], cc: [String] = [], bcc: [String] = [], sentAt: Date,
        inReplyTo: String? = nil, references: [String] = [], bulk: Bool = false, autoSubmitted: Bool = false, subject: String
    ) {
        self.internetMessageID = internetMessageID
        self.conversationID = conversationID
        self.from = from
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.sentAt = sentAt
        self.inReplyTo = inReplyTo
        self.references = references
        self.bulk = bulk
        self.autoSubmitted = autoSubmitted
        self.subject = subject
    }
}
