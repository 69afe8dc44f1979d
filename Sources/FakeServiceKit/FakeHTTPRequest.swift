import Foundation

/// A request to a fake, independent of the HTTP server that carried it.
public struct FakeHTTPRequest: Sendable {
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

    /// The first value of a header (names compare case-insensitively).
    public func header(_ name: String) -> String? {
        HeaderList.first(name, in: headers)
    }

    /// Every value of a header, in the order sent.
    public func headerValues(_ name: String) -> [String] {
        HeaderList.all(name, in: headers)
    }

    /// Query parameters, percent-decoded (`+` is a space only in form bodies, not here).
    public var parameters: [String: String] {
        FormDecoding.decode(query ?? "", plusIsSpace: false)
    }
}
