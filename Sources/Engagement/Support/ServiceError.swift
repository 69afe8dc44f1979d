/// A failure the API shows its caller: a stable code, a message, and the field at fault.
///
/// The HTTP status follows from the code in one place (`AdminAPI`'s error
/// middleware); a database error never becomes one of these with its text.
public struct ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The input is malformed or fails validation (HTTP 400).
        case invalid
        /// No such object for this caller (HTTP 404), including another tenant's.
        case notFound = "not_found"
        /// The object conflicts with an existing one (HTTP 409).
        case conflict
        /// The caller lacks the role (HTTP 403).
        case forbidden
        /// No valid key (HTTP 401).
        case unauthenticated
        /// A precondition of the operation failed (HTTP 422).
        case unprocessable
        /// The service cannot take the request now: a database is down or busy (HTTP 503, with Retry-After).
        case unavailable
        /// The request took longer than the server allows (HTTP 503, with Retry-After).
        case timeout
    }

    public var code: Code
    public var message: String
    /// The request field, CSV column or line the error is about.
    public var field: String?

    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String {
        field.map { "\(code.rawValue) (\($0)): \(message)" } ?? "\(code.rawValue): \(message)"
    }

    public static func notFound(_ what: String) -> ServiceError {
        ServiceError(.notFound, "\(what) not found")
    }
}
