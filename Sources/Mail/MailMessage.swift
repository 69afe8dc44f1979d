/// A plain-text UTF-8 message to one recipient.
public struct MailMessage: Sendable, Equatable {
    /// The recipient's bare address, such as `admin@tenant.example`.
    public var to: String
    /// The subject, any Unicode; encoded per RFC 2047 when it is not plain ASCII.
    public var subject: String
    /// The text; any line ending (LF, CR or CRLF) is sent as CRLF.
    public var body: String
    /// The Message-ID, with or without angle brackets; generated when nil.
    ///
    /// Set it to a stable value (one per outbox row) so that a retried message
    /// can be recognised as a duplicate.
    public var messageID: String?

    public init(to: String, subject: String, body: String, messageID: String? = nil) {
        self.to = to
        self.subject = subject
        self.body = body
        self.messageID = messageID
    }
}
