import FakeServiceKit

/// A request to the fake Graph (the shared raw request of the fakes).
public typealias FakeRequest = FakeHTTPRequest

/// The fake's answer.
public struct FakeResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    static func json(_ body: [UInt8], status: Int = 200, headers: [(name: String, value: String)] = []) -> FakeResponse {
        FakeResponse(status: status, headers: [("Content-Type", "application/json; odata.metadata=minimal; charset=utf-8")] + headers, body: body)
    }

    /// Graph's error shape: `{"error": {"code", "message", "innerError"}}`.
    static func error(_ status: Int, _ code: String, _ message: String, headers: [(name: String, value: String)] = []) -> FakeResponse {
        json(
            JSONBytes.object([
                ("error", JSONBytes.object([
                    ("code", JSONBytes.string(code)), ("message", JSONBytes.string(message)),
                    ("innerError", JSONBytes.object([("request-id", JSONBytes.string("00000000-0000-0000-0000-000000000000"))])),
                ]))
            ]), status: status, headers: headers)
    }

    /// The identity platform's error shape: `{"error", "error_description", "error_codes"}`.
    static func oauthError(_ status: Int, _ error: String, _ code: Int, _ description: String) -> FakeResponse {
        json(
            JSONBytes.object([
                ("error", JSONBytes.string(error)), ("error_description", JSONBytes.string("AADSTS\(code): \(description)")),
                ("error_codes", JSONBytes.array([JSONBytes.int(code)])),
            ]), status: status)
    }
}
