import Foundation
import Hummingbird
import NIOCore

extension JSONEncoder {
    /// The API's encoder: snake_case keys, ISO 8601 dates, sorted keys.
    static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    /// For results: keys as written (the product's column names), ISO 8601 dates.
    static var columns: JSONEncoder {
        let encoder = JSONEncoder()
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
