import FakeServiceKit
import Foundation
import Ingest

/// One Web API request against an organization: a top-level request or a part of a `$batch`.
struct Operation {
    enum Body {
        case none
        case json(JSONValue)
        /// A body that is not JSON (the parser's message).
        case invalid(String)
        case batch(BatchRequest)
        case invalidBatch(String)
    }

    var method: String
    /// Decoded path segments after `/api/data/v9.x/`.
    var segments: [String]
    /// Decoded query options.
    var query: [String: String]
    var headers: [(name: String, value: String)]
    var body: Body
    var contentID: String? = nil

    func header(_ name: String) -> String? {
        HeaderList.first(name, in: headers)
    }

    /// The `Prefer` preferences of all `Prefer` headers: `return=representation`, `odata.maxpagesize=100`, …
    /// Names are lowercased; a preference without a value maps to "".
    var preferences: [String: String] {
        var result: [String: String] = [:]
        for header in HeaderList.all("Prefer", in: headers) {
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

    /// Parses the body outside the store's lock: JSON, or a `$batch`'s parts (and their JSON).
    static func prepare(segments: [String], headers: [(name: String, value: String)], body: [UInt8]) -> Body {
        if segments == ["$batch"] {
            do {
                return .batch(try MultipartMixed.batch(body, contentType: HeaderList.first("Content-Type", in: headers) ?? ""))
            } catch {
                return .invalidBatch(error.message)
            }
        }
        return json(body)
    }

    static func json(_ body: [UInt8]) -> Body {
        guard body.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else { return .none }
        do {
            return .json(try JSONParser.parse(body))
        } catch {
            return .invalid("\(error.message) at offset \(error.offset)")
        }
    }

    /// The JSON object body a write needs.
    func object(table: String) throws -> JSONObject {
        switch body {
        case .json(.object(let object)): return object
        case .none: throw DataverseError.payload(table: table, "A request body is required for this request.")
        case .invalid(let message): throw DataverseError.payload(table: table, "The body is not valid JSON: \(message).")
        default: throw DataverseError.payload(table: table, "The request body must be a JSON object.")
        }
    }
}
