/// A Microsoft Graph failure: a stable code, a message for the admin, and what Graph said.
///
/// Never carries a token, a secret or a response body beyond Graph's own error code and message.
public struct GraphError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The identity platform refused the app's credentials (invalid_client, unauthorized_client, …).
        public static let credentialsRejected = Code(rawValue: "credentials_rejected")
        /// Graph refused a freshly issued token too (401 twice).
        public static let tokenRejected = Code(rawValue: "token_rejected")
        /// 403: e.g. an application access policy excludes the mailbox, or a permission is missing.
        public static let forbidden = Code(rawValue: "forbidden")
        /// 404: no such user, group or mailbox.
        public static let notFound = Code(rawValue: "not_found")
        /// 410, or a 40x whose code says so (`syncStateNotFound`…): the delta state expired; the folder must be synced again from scratch.
        public static let syncStateGone = Code(rawValue: "sync_state_gone")
        /// 403 `ErrorQuotaExceeded` on a folder's delta: the mailbox is full.
        public static let quotaExceeded = Code(rawValue: "quota_exceeded")
        /// 429, 503 or 504 until the retry budget ran out.
        public static let throttled = Code(rawValue: "throttled")
        /// Other server or network faults until the retry budget ran out.
        public static let transient = Code(rawValue: "transient")
        /// A reply that is not what Graph documents.
        public static let badResponse = Code(rawValue: "bad_response")
        /// Any other refusal (400, 409, …).
        public static let http = Code(rawValue: "http")
        /// The selected addresses and groups do not resolve to a usable set of mailboxes.
        public static let directory = Code(rawValue: "directory")
    }

    public var code: Code
    public var message: String
    /// The HTTP status, when there was a response.
    public var status: Int?
    /// Graph's (or the identity platform's) error code, e.g. `ErrorAccessDenied`, `invalid_client`.
    public var graphCode: String?

    public init(_ code: Code, _ message: String, status: Int? = nil, graphCode: String? = nil) {
        self.code = code
        self.message = message
        self.status = status
        self.graphCode = graphCode
    }

    public var description: String { message }

    /// Failures that another attempt of the run cannot fix without the admin acting.
    public var needsAdmin: Bool {
        code == .credentialsRejected || code == .directory
    }
}
