import Engagement
import Foundation

/// One generated email message, with everything the writers need and what the pipeline should make of it.
public struct GeneratedEmail: Sendable {
    /// What kind of mail it is, beyond who sent it to whom.
    public enum Kind: Sendable, Hashable {
        case conversation
        /// A newsletter: List-Id, List-Unsubscribe, Precedence: bulk.
        case newsletter
        /// An out-of-office answer: Auto-Submitted: auto-replied.
        case autoReply
        /// A notification from a no-reply address.
        case noReply
        /// Mail between internal people only.
        case `internal`
    }

    /// The Message-ID without angle brackets; nil for the few messages sent without one.
    public var messageID: String?
    public var from: Participant
    public var to: [Participant]
    public var cc: [Participant]
    /// Only the sender's copy carries Bcc.
    public var bcc: [Participant]
    /// Seconds since 1970 UTC.
    public var sentAt: Int
    /// The sender's IANA zone (for the Date header's offset).
    public var zone: String
    public var inReplyTo: String?
    public var references: [String]
    public var subject: String
    /// The conversation (thread) number, unique in the organization.
    public var conversation: UInt64
    public var kind: Kind
    public var expectation: ExpectedOutcome
    /// The selected mailboxes holding a copy (sender and recipients), ascending.
    public var mailboxes: [Int]

    /// The record as the parsers produce it from the sender's copy (Bcc included).
    public var record: ActivityEmail {
        ActivityEmail(
            messageID: messageID, from: from.address, sender: nil, to: to.map(\.address), cc: cc.map(\.address),
            bcc: bcc.map(\.address), sentAt: Date(timeIntervalSince1970: TimeInterval(sentAt)),
            inReplyTo: inReplyTo.map { [$0] } ?? [], references: references,
            bulk: kind == .newsletter || kind == .autoReply, autoSubmitted: kind == .autoReply, conversationID: nil)
    }
}
