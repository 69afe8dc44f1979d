import Foundation

/// A Swift type that a result column in libpq's text format decodes into.
///
/// `decode` receives the column's text and type OID; a type that does not fit is a
/// `.decoding` error naming the column. NULL is handled by `decodeNull`: optionals
/// become `nil`, every other type throws.
public protocol PostgresDecodable: Sendable {
    static func decode(text: String, type: PostgresType, column: String) throws -> Self
    static func decodeNull(column: String) throws -> Self
}

extension PostgresDecodable {
    public static func decodeNull(column: String) throws -> Self {
        throw PostgresError(
            code: .decoding, message: "column \"\(column)\" is NULL but \(Self.self) is not optional",
            columnName: column)
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(text: String, type: PostgresType, column: String) throws -> Wrapped? {
        try Wrapped.decode(text: text, type: type, column: column)
    }

    public static func decodeNull(column: String) throws -> Wrapped? { nil }
}

extension PostgresError {
    static func wrongType(column: String, swiftType: String, actual: PostgresType) -> PostgresError {
        PostgresError(
            code: .decoding, message: "column \"\(column)\" has type \(actual), which does not decode as \(swiftType)",
            columnName: column)
    }

    static func malformed(column: String, swiftType: String, type: PostgresType) -> PostgresError {
        PostgresError(
            code: .decoding, message: "column \"\(column)\" (\(type)) holds a value that is not a valid \(swiftType)",
            columnName: column)
    }
}

extension String: PostgresDecodable {
    public static func decode(text: String, type: PostgresType, column: String) throws -> String {
        guard type.isTextual else { throw PostgresError.wrongType(column: column, swiftType: "String", actual: type) }
        return text
    }
}

extension FixedWidthInteger where Self: PostgresDecodable {
    fileprivate static func decodeInteger(text: String, type: PostgresType, column: String) throws -> Self {
        // numeric is accepted too (sum() of bigint returns it) as long as the value is integral.
        guard type.isInteger || type == .numeric else {
            throw PostgresError.wrongType(column: column, swiftType: "\(Self.self)", actual: type)
        }
        guard let value = Self(text) else {
            throw PostgresError(
                code: .decoding, message: "column \"\(column)\" (\(type)) does not fit in \(Self.self)",
                columnName: column)
        }
        return value
    }
}

extension Int: PostgresDecodable {
    public static func decode(text: String, type: PostgresType, column: String) throws -> Int {
        try decodeInteger(text: text, type: type, column: column)
    }
}

extension Int64: PostgresDecodable {
    public static func decode(text: String, type: PostgresType, column: String) throws -> Int64 {
        try decodeInteger(text: text, type: type, column: column)
    }
}

extension Int32: PostgresDecodable {
    public static func decode(text: String, type: PostgresType, column: String) throws -> Int32 {
        try decodeInteger(text: text, type: type, column: column)
    }
}

extension Int16: PostgresDecodable {
    public static func decode(text: String, type: PostgresType, column: String) throws -> Int16 {
        try decodeInteger(text: text, type: type, column: column)
    }
}

extension Double: PostgresDecodable {
    public static func decode(text: String, type: PostgresType, column: String) throws -> Double {
        guard type == .float8 || type == .float4 || type == .numeric || type.isInteger else {
            throw PostgresError.wrongType(column: column, swiftType: "Double", actual: type)
        }
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            guard let value = Double(text) else {
                throw PostgresError.malformed(column: column, swiftType: "Double", type: type)
            }
            return value
        }
    }
}

extension Bool: PostgresDecodable {
    public static func decode(text: String, type: PostgresType, column: String) throws -> Bool {
        guard type == .bool else { throw PostgresError.wrongType(column: column, swiftType: "Bool", actual: type) }
        return text == "t"
    }
}

extension UUID: PostgresDecodable {
    public static func decode(text: String, type: PostgresType, column: String) throws -> UUID {
        guard type == .uuid || type.isTextual else {
            throw PostgresError.wrongType(column: column, swiftType: "UUID", actual: type)
        }
        guard let value = UUID(uuidString: text) else {
            throw PostgresError.malformed(column: column, swiftType: "UUID", type: type)
        }
        return value
    }
}

extension Date: PostgresDecodable {
    /// Decodes `timestamptz`, `timestamp` (read as UTC) and `date` (midnight UTC).
    public static func decode(text: String, type: PostgresType, column: String) throws -> Date {
        guard type == .timestamptz || type == .timestamp || type == .date else {
            throw PostgresError.wrongType(column: column, swiftType: "Date", actual: type)
        }
        guard let date = PostgresDateFormat.parse(text) else {
            throw PostgresError.malformed(column: column, swiftType: "Date", type: type)
        }
        return date
    }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
    public static func decode(text: String, type: PostgresType, column: String) throws -> [Element] {
        guard type == Element.postgresArrayType || (Element.self == String.self && type == .varcharArray)
            || (Element.self == Int.self && (type == .int4Array || type == .int2Array))
        else {
            throw PostgresError.wrongType(column: column, swiftType: "[\(Element.self)]", actual: type)
        }
        guard let items = PostgresArrayText.parse(text) else {
            throw PostgresError.malformed(column: column, swiftType: "[\(Element.self)]", type: type)
        }
        let elementType = Self.elementType(of: type)
        return try items.map { item in
            guard let item else {
                throw PostgresError(
                    code: .decoding, message: "column \"\(column)\" holds a NULL array element",
                    columnName: column)
            }
            return try Element.decode(text: item, type: elementType, column: column)
        }
    }

    private static func elementType(of arrayType: PostgresType) -> PostgresType {
        switch arrayType {
        case .textArray: .text
        case .varcharArray: .varchar
        case .int8Array: .int8
        case .int4Array: .int4
        case .int2Array: .int2
        case .float8Array: .float8
        case .boolArray: .bool
        case .uuidArray: .uuid
        default: .unknown
        }
    }
}
