/// A request to the fake, independent of the HTTP server that carried it.
public struct FakeRequest: Sendable {
    public var method: String
    /// The path, percent-encoded as sent.
    public var path: String
    /// The raw query, without `?`.
    public var query: String?
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, path: String, query: String?, headers: [(name: String, value: String)], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    func header(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    /// Query parameters, percent-decoded (`+` is a space only in form bodies, not here).
    var parameters: [String: String] {
        Self.decode(query ?? "", plusIsSpace: false)
    }

    static func decode(_ text: String, plusIsSpace: Bool) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { part -> String in
                let raw = plusIsSpace ? part.replacingOccurrences(of: "+", with: " ") : String(part)
                return raw.removingPercentEncoding ?? raw
            }
            if let key = parts.first { result[key] = parts.count > 1 ? parts[1] : "" }
        }
        return result
    }
}

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
            JSONText.object([
                ("error", JSONText.object([
                    ("code", JSONText.string(code)), ("message", JSONText.string(message)),
                    ("innerError", JSONText.object([("request-id", JSONText.string("00000000-0000-0000-0000-000000000000"))])),
                ]))
            ]), status: status, headers: headers)
    }

    /// The identity platform's error shape: `{"error", "error_description", "error_codes"}`.
    static func oauthError(_ status: Int, _ error: String, _ code: Int, _ description: String) -> FakeResponse {
        json(
            JSONText.object([
                ("error", JSONText.string(error)), ("error_description", JSONText.string("AADSTS\(code): \(description)")),
                ("error_codes", JSONText.array([Array(String(code).utf8)])),
            ]), status: status)
    }
}
