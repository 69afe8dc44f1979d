import Hummingbird
import Platform

/// Reads a form post (`application/x-www-form-urlencoded`) with Hummingbird's `URLEncodedFormDecoder`.
enum PageForm {
    /// The largest form a page accepts, in bytes.
    static let limit = 256 * 1024

    /// The form of `request`'s body, or nil when it is not a form of `Form`'s fields (which a page treats as missing).
    ///
    /// A body over `limit` is a 413.
    static func decode<Form: Decodable>(_ type: Form.Type, from request: Request, limit: Int = limit) async throws -> Form? {
        let body = try await request.body.collect(upTo: limit)
        do {
            return try URLEncodedFormDecoder().decode(Form.self, from: String(buffer: body))
        } catch is URLEncodedFormError {
            return nil
        } catch is DecodingError {
            return nil
        }
    }

    /// The form of a post whose CSRF token `PageSessionMiddleware` already checked; one that does not fit `Form` is a 400.
    static func fields<Form: Decodable>(_ type: Form.Type, from request: Request) async throws -> Form {
        guard let form = try await decode(Form.self, from: request) else {
            throw ServiceError(.invalid, "the form could not be read", field: "body")
        }
        return form
    }
}
