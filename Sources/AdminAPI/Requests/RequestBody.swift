import Foundation
import Hummingbird
import Ingest
import NIOCore
import Platform

/// A JSON request body read strictly: an object, known fields only, each checked for type.
///
/// Every failure is a 400 naming the field (or the byte offset of malformed JSON).
struct RequestBody {
    let object: JSONObject

    /// Reads the body (up to `limit` bytes, else 413) and checks its field names against `allowed`.
    static func read(_ request: Request, limit: Int, allowed: Set<String>) async throws -> RequestBody {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge)
        }
        let bytes = Array(buffer.readableBytesView)
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw ServiceError(.invalid, "the body is not valid JSON at byte \(error.offset): \(error.message)", field: "body")
        }
        guard let object = value.objectValue else {
            throw ServiceError(.invalid, "the body must be a JSON object, not \(value.typeName)", field: "body")
        }
        var seen = Set<String>()
        for member in object.members {
            guard allowed.contains(member.key) else {
                throw ServiceError(.invalid, "unknown field; expected one of \(allowed.sorted().joined(separator: ", "))", field: member.key)
            }
            guard seen.insert(member.key).inserted else {
                throw ServiceError(.invalid, "the field appears twice", field: member.key)
            }
        }
        return RequestBody(object: object)
    }

    func has(_ key: String) -> Bool { object[key] != nil }

    func string(_ key: String) throws -> String {
        guard let value = try optionalString(key) else { throw ServiceError(.invalid, "is required", field: key) }
        return value
    }

    func optionalString(_ key: String) throws -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw ServiceError(.invalid, "must be a string, not \(value.typeName)", field: key) }
        return text
    }

    func stringArray(_ key: String) throws -> [String] {
        guard let value = object[key], !value.isNull else { throw ServiceError(.invalid, "is required", field: key) }
        guard let items = value.arrayValue else { throw ServiceError(.invalid, "must be an array of strings, not \(value.typeName)", field: key) }
        return try items.enumerated().map { index, item in
            guard let text = item.stringValue else {
                throw ServiceError(.invalid, "must be a string, not \(item.typeName)", field: "\(key)[\(index)]")
            }
            return text
        }
    }

    func int(_ key: String) throws -> Int {
        guard let value = object[key], !value.isNull else { throw ServiceError(.invalid, "is required", field: key) }
        guard case .number(let number) = value, number.rounded() == number, abs(number) < 9e15 else {
            throw ServiceError(.invalid, "must be a whole number, not \(value.typeName)", field: key)
        }
        return Int(number)
    }

    func uuid(_ key: String) throws -> UUID {
        guard let value = try optionalUUID(key) else { throw ServiceError(.invalid, "is required", field: key) }
        return value
    }

    func optionalUUID(_ key: String) throws -> UUID? {
        guard let text = try optionalString(key) else { return nil }
        guard let id = UUID(uuidString: text) else { throw ServiceError(.invalid, "must be a UUID", field: key) }
        return id
    }

    /// A calendar date `YYYY-MM-DD`, as midnight UTC.
    func day(_ key: String) throws -> Date {
        try Validation.day(try string(key), field: key)
    }

    func choice<Value: RawRepresentable & CaseIterable>(_ key: String, _ type: Value.Type) throws -> Value where Value.RawValue == String {
        let text = try string(key)
        guard let value = Value(rawValue: text) else {
            throw ServiceError(.invalid, "must be one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))", field: key)
        }
        return value
    }
}

extension RequestBody {
    /// The array of objects under `key`.
    func objects(_ key: String) throws -> [JSONItem] {
        guard let value = object[key], !value.isNull else { throw ServiceError(.invalid, "is required", field: key) }
        guard let items = value.arrayValue else { throw ServiceError(.invalid, "must be an array of objects, not \(value.typeName)", field: key) }
        return try items.enumerated().map { index, item in
            guard let object = item.objectValue else {
                throw ServiceError(.invalid, "must be an object, not \(item.typeName)", field: "\(key)[\(index)]")
            }
            return JSONItem(object: object)
        }
    }
}

extension RequestBody {
    /// Decodes the member `key` as a Codable value (snake_case keys); a mismatch names the field.
    ///
    /// With `keys`, the member must be an object whose every key is one of them.
    func decode<Value: Decodable>(_ key: String, _ type: Value.Type, keys: Set<String>? = nil) throws -> Value {
        guard let value = object[key] else { throw ServiceError(.invalid, "is required", field: key) }
        if let keys {
            guard let members = value.objectValue?.members else { throw ServiceError(.invalid, "must be an object, not \(value.typeName)", field: key) }
            for member in members where !keys.contains(member.key) {
                throw ServiceError(.invalid, "unknown field; expected one of \(keys.sorted().joined(separator: ", "))", field: "\(key).\(member.key)")
            }
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(Value.self, from: Data(value.jsonText.utf8))
        } catch let DecodingError.keyNotFound(missing, context) {
            throw ServiceError(.invalid, "is required", field: ([key] + context.codingPath.map(\.stringValue) + [missing.stringValue]).joined(separator: "."))
        } catch let DecodingError.typeMismatch(_, context) {
            throw ServiceError(.invalid, "has the wrong type", field: ([key] + context.codingPath.map(\.stringValue)).joined(separator: "."))
        } catch {
            throw ServiceError(.invalid, "is not valid", field: key)
        }
    }
}

extension JSONValue {
    /// The value written back as JSON text.
    var jsonText: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value): return value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .string(let value):
            let data = (try? JSONSerialization.data(withJSONObject: [value])) ?? Data("[\"\"]".utf8)
            return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
        case .array(let items): return "[" + items.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let object):
            return "{" + object.members.map { JSONValue.string($0.key).jsonText + ":" + $0.value.jsonText }.joined(separator: ",") + "}"
        }
    }
}
