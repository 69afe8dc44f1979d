import FakeServiceKit

/// The fake's answer.
public struct FakeDataverseResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        HeaderList.first(name, in: headers)
    }

    static let jsonContentType = "application/json; odata.metadata=minimal"

    /// A Web API JSON answer.
    static func json(_ body: [UInt8], status: Int = 200, headers: [(name: String, value: String)] = []) -> FakeDataverseResponse {
        FakeDataverseResponse(status: status, headers: [("Content-Type", jsonContentType)] + headers, body: body)
    }

    static func noContent(headers: [(name: String, value: String)] = []) -> FakeDataverseResponse {
        FakeDataverseResponse(status: 204, headers: headers)
    }

    /// Dataverse's error shape: `{"error": {"code": "0x…", "message": "…"}}`.
    static func error(_ error: DataverseError) -> FakeDataverseResponse {
        json(
            JSONBytes.object([("error", JSONBytes.object([("code", JSONBytes.string(error.code)), ("message", JSONBytes.string(error.message))]))]),
            status: error.status, headers: error.headers)
    }

    /// The identity platform's error shape: `{"error", "error_description", "error_codes", …}`.
    static func oauthError(_ status: Int, _ error: String, _ code: Int, _ description: String) -> FakeDataverseResponse {
        let trace = "00000000-0000-0000-0000-000000000000"
        return FakeDataverseResponse(
            status: status, headers: [("Content-Type", "application/json; charset=utf-8")],
            body: JSONBytes.object([
                ("error", JSONBytes.string(error)), ("error_description", JSONBytes.string("AADSTS\(code): \(description)")),
                ("error_codes", JSONBytes.array([JSONBytes.int(code)])), ("trace_id", JSONBytes.string(trace)),
                ("correlation_id", JSONBytes.string(trace)),
            ]))
    }

    /// The reason phrase of a status, for `$batch` parts.
    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 412: "Precondition Failed"
        case 413: "Payload Too Large"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        default: "Status \(status)"
        }
    }
}
