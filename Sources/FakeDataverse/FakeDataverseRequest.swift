import Foundation

/// A request to the fake, independent of the HTTP server that carried it.
public struct FakeDataverseRequest: Sendable {
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

    func header(_ name: String) -> String? {
        HeaderList.first(name, in: headers)
    }
}

/// Header lookups on `(name, value)` lists (names compare case-insensitively).
enum HeaderList {
    static func all(_ name: String, in headers: [(name: String, value: String)]) -> [String] {
        headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    static func first(_ name: String, in headers: [(name: String, value: String)]) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The `Prefer` preferences of all `Prefer` headers: `return=representation`, `odata.maxpagesize=100`, …
    /// Names are lowercased; a preference without a value maps to "".
    static func preferences(in headers: [(name: String, value: String)]) -> [String: String] {
        var result: [String: String] = [:]
        for header in all("Prefer", in: headers) {
            for item in header.split(separator: ",") {
                let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard let name = parts.first, !name.isEmpty else { continue }
                var value = parts.count > 1 ? parts[1] : ""
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                result[name.lowercased()] = value
            }
        }
        return result
    }
}

/// Query strings and form bodies.
enum FormDecoding {
    /// `a=1&b=2`, percent-decoded; `+` is a space only in form bodies.
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
