/// A failure to hand a message to the SMTP relay.
public struct SMTPError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure; `name` is its stable text form.
    public enum Code: Sendable, Hashable {
        /// The message or envelope is unusable (header injection, bad address); nothing was sent.
        case invalidMessage
        /// The configuration is unusable (HELO name, credentials); nothing was sent.
        case invalidConfiguration
        /// No connection could be made (refused, unreachable, unknown host).
        case connectionFailed
        /// The relay closed or reset the connection during the dialogue.
        case connectionClosed
        /// The connection or a reply did not come within the configured timeout.
        case timeout
        /// The relay answered with this 4xx (temporary) or 5xx (permanent) reply code.
        case rejected(Int)
        /// Credentials are configured but the relay does not offer AUTH PLAIN.
        case authenticationUnavailable
        /// The relay's reply was malformed or unexpected.
        case protocolViolation

        /// A stable identifier for logs and the outbox, such as `rejected_451`.
        public var name: String {
            switch self {
            case .invalidMessage: "invalid_message"
            case .invalidConfiguration: "invalid_configuration"
            case .connectionFailed: "connection_failed"
            case .connectionClosed: "connection_closed"
            case .timeout: "timeout"
            case .rejected(let code): "rejected_\(code)"
            case .authenticationUnavailable: "authentication_unavailable"
            case .protocolViolation: "protocol_violation"
            }
        }
    }

    public var code: Code
    /// What happened, with the relay's reply code and text when there is one.
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The relay's reply code, for `.rejected`.
    public var replyCode: Int? {
        if case .rejected(let code) = code { code } else { nil }
    }

    /// Whether sending the same message later may succeed: network trouble, timeouts, 4xx replies.
    public var isTransient: Bool {
        switch code {
        case .connectionFailed, .connectionClosed, .timeout, .protocolViolation: true
        case .rejected(let reply): reply < 500
        case .invalidMessage, .invalidConfiguration, .authenticationUnavailable: false
        }
    }

    public var description: String { "SMTPError(\(code.name)): \(message)" }
}
