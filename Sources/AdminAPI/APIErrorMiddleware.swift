import Foundation
import Hummingbird
import Ingest
import Logging
import Postgres
import Platform

/// Turns every error into one JSON shape, `{"error": {"code", "message", "field"}}`.
///
/// This is the one place errors become HTTP statuses. Database errors and
/// anything unexpected become a 500 with no detail: their text is logged, never
/// sent.
struct APIErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return Self.response(for: error, logger: context.logger)
        }
    }

    static func response(for error: Error, logger: Logger) -> Response {
        switch error {
        case let error as ServiceError:
            return body(status: status(of: error.code), code: error.code.rawValue, message: error.message, field: error.field)
        case let error as HTTPError:
            let code: String
            switch error.status {
            case .notFound: code = "not_found"
            case .contentTooLarge: code = "body_too_large"
            case .methodNotAllowed: code = "method_not_allowed"
            default: code = error.status.code < 500 ? "invalid" : "internal"
            }
            let message = error.status == .contentTooLarge
                ? "the request body is larger than the limit" : (error.body ?? error.status.reasonPhrase)
            return body(status: error.status, code: code, message: message, field: nil)
        case let error as PostgresError:
            switch error.code {
            case .server where error.isQueryCanceled:
                logger.warning("statement timeout", metadata: ["sqlstate": "\(error.sqlState ?? "")"])
                return body(status: .serviceUnavailable, code: ServiceError.Code.timeout.rawValue, message: "the request took longer than the server allows; try a narrower one or again later", field: nil)
            case .connectionFailed, .connectionClosed, .poolTimeout, .poolClosed:
                logger.error("database unavailable", metadata: ["code": "\(error.code)", "message": "\(error.message)"])
                return body(status: .serviceUnavailable, code: ServiceError.Code.unavailable.rawValue, message: "a database is unavailable or busy; try again shortly", field: nil)
            default:
                logger.error("database error", metadata: ["code": "\(error.code)", "sqlstate": "\(error.sqlState ?? "")", "message": "\(error.message)"])
                return body(status: .internalServerError, code: "internal", message: "internal error", field: nil)
            }
        case is CancellationError:
            // The client went away (or the server is stopping): nobody reads this.
            return body(status: .serviceUnavailable, code: ServiceError.Code.unavailable.rawValue, message: "the request was cancelled", field: nil)
        default:
            logger.error("unexpected error", metadata: ["type": "\(type(of: error))"])
            return body(status: .internalServerError, code: "internal", message: "internal error", field: nil)
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

    static func body(status: HTTPResponse.Status, code: String, message: String, field: String?) -> Response {
        var error: [String: String] = ["code": code, "message": message]
        if let field { error["field"] = field }
        var headers: HTTPFields = [.contentType: "application/json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if status == .serviceUnavailable { headers[.retryAfter] = "5" }
        let data = (try? JSONEncoder.api.encode(["error": error])) ?? Data()
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension JSONEncoder {
    /// The API's encoder: snake_case keys, ISO 8601 dates, sorted keys.
    static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

/// Encodes `value` as a JSON response.
func json<Value: Encodable>(_ value: Value, status: HTTPResponse.Status = .ok, encoder: JSONEncoder = .api) throws -> Response {
    let data = try encoder.encode(value)
    return Response(
        status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
}
