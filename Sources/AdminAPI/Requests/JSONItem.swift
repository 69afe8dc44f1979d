import Engagement
import Ingest
import Platform

/// One object inside a request body's array; errors name its path (`accounts[3].name`).
struct JSONItem {
    let object: JSONObject

    func only(_ allowed: Set<String>, field: String) throws {
        for member in object.members where !allowed.contains(member.key) {
            throw ServiceError(.invalid, "unknown field; expected one of \(allowed.sorted().joined(separator: ", "))", field: "\(field).\(member.key)")
        }
    }

    func string(_ key: String, field: String) throws -> String {
        guard let value = object[key], !value.isNull else { throw ServiceError(.invalid, "is required", field: "\(field).\(key)") }
        guard let text = value.stringValue, !text.isEmpty else {
            throw ServiceError(.invalid, "must be a non-empty string", field: "\(field).\(key)")
        }
        return text
    }

    func stringArray(_ key: String, field: String) throws -> [String] {
        guard let value = object[key], !value.isNull else { return [] }
        guard let items = value.arrayValue else { throw ServiceError(.invalid, "must be an array of strings", field: "\(field).\(key)") }
        return try items.enumerated().map { index, item in
            guard let text = item.stringValue else { throw ServiceError(.invalid, "must be a string", field: "\(field).\(key)[\(index)]") }
            return text
        }
    }

    func stringMap(_ key: String, field: String) throws -> [(String, String)] {
        guard let value = object[key], !value.isNull else { return [] }
        guard let map = value.objectValue else { throw ServiceError(.invalid, "must be an object of strings", field: "\(field).\(key)") }
        return try map.members.map { member in
            guard let text = member.value.stringValue else {
                throw ServiceError(.invalid, "must be a string", field: "\(field).\(key).\(member.key)")
            }
            return (member.key, text)
        }
    }
}

extension JSONItem {
    func optionalString(_ key: String, field: String) throws -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw ServiceError(.invalid, "must be a string", field: "\(field).\(key)") }
        return text
    }

    func optionalEmail(_ key: String, field: String) throws -> String? {
        try optionalString(key, field: field).map { try Validation.email($0, field: "\(field).\(key)").lowercased() }
    }
}
