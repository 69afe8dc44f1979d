import Foundation
import Hummingbird
import Logging
import NIOCore
import Platform
import Postgres

/// An error as a client sees it: a status and `{"error": {"code", "message", "field"}}`.
///
/// `init(_:logger:)` is the one place errors become HTTP statuses. Database
/// errors and anything unexpected become a 500 with no detail: their text is
/// logged, never sent. A 401 carries `WWW-Authenticate`, a 503 `Retry-After`.
struct APIError: HTTPResponseError {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var field: String?

    init(status: HTTPResponse.Status, code: String, message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    /// What `error` means to the client; logs what it must not see.
    init(_ error: any Error, logger: Logger) {
        switch error {
        case let error as APIError:
            self = error
        case let error as ServiceError:
            self.init(status: Self.status(of: error.code), code: error.code.rawValue, message: error.message, field: error.field)
        case let error as HTTPError:
            self.init(http: error.status, message: error.body)
        case is NIOTooManyBytesError:
            self.init(http: .contentTooLarge, message: nil)
        case let error as PostgresError:
            self.init(database: error, logger: logger)
        case is CancellationError:
            // The client went away (or the server is stopping): nobody reads this.
            self.init(status: .serviceUnavailable, code: ServiceError.Code.unavailable.rawValue, message: "the request was cancelled")
        default:
            logger.error("unexpected error", metadata: ["type": "\(type(of: error))"])
            self = .internal
        }
    }

    static let `internal` = APIError(status: .internalServerError, code: "internal", message: "internal error")

    private init(http status: HTTPResponse.Status, message: String?) {
        let code: String
        switch status {
        case .notFound: code = "not_found"
        case .contentTooLarge: code = "body_too_large"
        case .methodNotAllowed: code = "method_not_allowed"
        default: code = status.code < 500 ? "invalid" : "internal"
        }
        let text = status == .contentTooLarge ? "the request body is larger than the limit" : (message ?? status.reasonPhrase)
        self.init(status: status, code: code, message: text)
    }

    private init(database error: PostgresError, logger: Logger) {
        switch error.code {
        case .server where error.isQueryCanceled:
            logger.warning("statement timeout", metadata: ["sqlstate": "\(error.sqlState ?? "")"])
            self.init(
                status: .serviceUnavailable, code: ServiceError.Code.timeout.rawValue,
                message: "the request took longer than the server allows; try a narrower one or again later")
        case .connectionFailed, .connectionClosed, .poolTimeout, .poolClosed:
            logger.error("database unavailable", metadata: ["code": "\(error.code)", "message": "\(error.message)"])
            self.init(status: .serviceUnavailable, code: ServiceError.Code.unavailable.rawValue, message: "a database is unavailable or busy; try again shortly")
        default:
            logger.error("database error", metadata: ["code": "\(error.code)", "sqlstate": "\(error.sqlState ?? "")", "message": "\(error.message)"])
            self = .internal
        }
    }

    static func status(of code: ServiceError.Code) -> HTTPResponse.Status {
        switch code {
        case .invalid: .badRequest
        case .notFound: .notFound
        case .conflict: .conflict
        case .forbidden: .forbidden
        case .unauthenticated: .unauthorized
        case .unprocessable: .unprocessableContent
        case .unavailable, .timeout: .serviceUnavailable
        }
    }

    /// `WWW-Authenticate` on a 401, `Retry-After` on a 503; the caller adds the content type.
    var headers: HTTPFields {
        var headers: HTTPFields = [:]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if status == .serviceUnavailable { headers[.retryAfter] = "5" }
        return headers
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var error = ["code": code, "message": message]
        if let field { error["field"] = field }
        var response = try json(["error": error], status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}
