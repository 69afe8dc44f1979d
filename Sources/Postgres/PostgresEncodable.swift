import Foundation

/// A Swift value that can be sent as a bind in libpq's text format.
public protocol PostgresEncodable: Sendable {
    /// The type the server reads the bind as; `.unspecified` lets it infer one.
    static var postgresType: PostgresType { get }
    /// The value's text form.
    var postgresText: String { get }
}

extension String: PostgresEncodable {
    public static var postgresType: PostgresType { .unspecified }
    public var postgresText: String { self }
}

extension Substring: PostgresEncodable {
    public static var postgresType: PostgresType { .unspecified }
    public var postgresText: String { String(self) }
}

extension Int: PostgresEncodable {
    public static var postgresType: PostgresType { .int8 }
    public var postgresText: String { String(self) }
}

extension Int64: PostgresEncodable {
    public static var postgresType: PostgresType { .int8 }
    public var postgresText: String { String(self) }
}

extension Int32: PostgresEncodable {
    public static var postgresType: PostgresType { .int4 }
    public var postgresText: String { String(self) }
}

extension Int16: PostgresEncodable {
    public static var postgresType: PostgresType { .int2 }
    public var postgresText: String { String(self) }
}

extension Double: PostgresEncodable {
    public static var postgresType: PostgresType { .float8 }
    public var postgresText: String {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return String(self)
    }
}

extension Bool: PostgresEncodable {
    public static var postgresType: PostgresType { .bool }
    public var postgresText: String { self ? "t" : "f" }
}

extension UUID: PostgresEncodable {
    public static var postgresType: PostgresType { .uuid }
    public var postgresText: String { uuidString.lowercased() }
}

extension Date: PostgresEncodable {
    public static var postgresType: PostgresType { .timestamptz }
    public var postgresText: String { PostgresDateFormat.timestamptzText(self) }
}

/// A Swift array sent as a PostgreSQL array (`text[]`, `int8[]`, …).
public protocol PostgresArrayElement: PostgresEncodable, PostgresDecodable {
    /// The OID of the array type whose elements are this type.
    static var postgresArrayType: PostgresType { get }
}

extension String: PostgresArrayElement {
    public static var postgresArrayType: PostgresType { .textArray }
}
extension Int: PostgresArrayElement {
    public static var postgresArrayType: PostgresType { .int8Array }
}
extension Int64: PostgresArrayElement {
    public static var postgresArrayType: PostgresType { .int8Array }
}
extension Int32: PostgresArrayElement {
    public static var postgresArrayType: PostgresType { .int4Array }
}
extension Double: PostgresArrayElement {
    public static var postgresArrayType: PostgresType { .float8Array }
}
extension Bool: PostgresArrayElement {
    public static var postgresArrayType: PostgresType { .boolArray }
}
extension UUID: PostgresArrayElement {
    public static var postgresArrayType: PostgresType { .uuidArray }
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public static var postgresType: PostgresType { Element.postgresArrayType }
    public var postgresText: String {
        var text = "{"
        for (index, element) in self.enumerated() {
            if index > 0 { text += "," }
            text += PostgresArrayText.quote(element.postgresText)
        }
        return text + "}"
    }
}

/// A Codable value stored as `jsonb`.
public struct PostgresJSON<Value: Codable & Sendable>: PostgresEncodable, PostgresDecodable {
    public var value: Value

    public init(_ value: Value) { self.value = value }

    public static var postgresType: PostgresType { .jsonb }

    public var postgresText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        // Encoding a Codable value into JSON only fails for non-finite floats.
        let data = (try? encoder.encode(value)) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    public static func decode(text: String, type: PostgresType, column: String) throws -> PostgresJSON<Value> {
        guard type == .jsonb || type == .json || type == .text else {
            throw PostgresError.wrongType(column: column, swiftType: "JSON", actual: type)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return PostgresJSON(try decoder.decode(Value.self, from: Data(text.utf8)))
        } catch {
            throw PostgresError(
                code: .decoding,
                message: "column \"\(column)\": jsonb does not decode as \(Value.self): \(error)",
                columnName: column)
        }
    }
}
