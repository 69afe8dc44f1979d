import FakeServiceKit
import Foundation
import Ingest

/// Checks values against a column's metadata and converts them to the stored form:
/// integers and decimals as numbers, DateOnly as `yyyy-MM-dd`, DateAndTime as UTC `yyyy-MM-ddTHH:mm:ssZ`,
/// ids (primary keys and lookups) as lowercase GUID text.
enum ColumnValues {
    /// Dataverse's date range: 1753-01-01 to 9999-12-31.
    static let earliest = CivilTime.days(year: 1753, month: 1, day: 1) * 86400
    static let latest = CivilTime.days(year: 9999, month: 12, day: 31) * 86400 + 86399

    /// A value sent in a JSON body.
    static func stored(_ value: JSONValue, column: FakeDataverseColumn, table: String, settings: FakeDataverseSettings) throws -> JSONValue {
        if case .null = value { return .null }
        func wrongType(_ edm: String) -> DataverseError {
            let literal: String
            switch value {
            case .string(let text): literal = text
            case .number(let number): literal = JSONBytes.numberText(number)
            case .bool(let flag): literal = flag ? "true" : "false"
            default: literal = value.typeName
            }
            return .payload(table: table, "Cannot convert the literal '\(literal)' to the expected type '\(edm)'.")
        }
        switch column.type {
        case .string(let maxLength), .memo(let maxLength):
            guard case .string(let text) = value else { throw wrongType("Edm.String") }
            if text.utf16.count > maxLength { throw DataverseError.stringTooLong(column: column.logicalName, table: table, maxLength: maxLength) }
            return .string(text)
        case .integer(let minValue, let maxValue):
            guard case .number(let number) = value, number == number.rounded(), abs(number) <= 2_147_483_648 else { throw wrongType("Edm.Int32") }
            guard number >= Double(minValue), number <= Double(maxValue) else {
                throw DataverseError.outOfRange(
                    JSONBytes.numberText(number), column: column.logicalName, table: table, accepted: "\(minValue) to \(maxValue)")
            }
            return .number(number)
        case .decimal(let minValue, let maxValue, let precision), .double(let minValue, let maxValue, let precision):
            let edm = if case .decimal = column.type { "Edm.Decimal" } else { "Edm.Double" }
            guard case .number(var number) = value else { throw wrongType(edm) }
            if decimals(number) > precision {
                guard settings.excessDecimals == .round else {
                    throw DataverseError.outOfRange(
                        JSONBytes.numberText(number), column: column.logicalName, table: table,
                        accepted: "at most \(precision) decimal places")
                }
                let scale = pow(10, Double(precision))
                number = (number * scale).rounded() / scale
            }
            guard number >= minValue, number <= maxValue else {
                throw DataverseError.outOfRange(
                    JSONBytes.numberText(number), column: column.logicalName, table: table,
                    accepted: "\(JSONBytes.numberText(minValue)) to \(JSONBytes.numberText(maxValue))")
            }
            return .number(number)
        case .dateOnly:
            guard case .string(let text) = value, let date = dateOnly(text) else { throw wrongType("Edm.Date") }
            try checkRange(date * 86400, text: text, column: column, table: table)
            return .string(text)
        case .dateAndTime:
            guard case .string(let text) = value, let seconds = RFC3339.parse(text) else { throw wrongType("Edm.DateTimeOffset") }
            try checkRange(seconds, text: text, column: column, table: table)
            return .string(RFC3339.string(seconds))
        case .boolean:
            guard case .bool = value else { throw wrongType("Edm.Boolean") }
            return value
        case .uniqueIdentifier, .lookup:
            guard case .string(let text) = value, let id = UUID(uuidString: text) else { throw wrongType("Edm.Guid") }
            return .string(id.uuidString.lowercased())
        }
    }

    /// A literal of a key predicate (`'text'`, `1`, `2026-01-01`, a GUID).
    static func stored(_ literal: ODataLiteral, column: FakeDataverseColumn, table: String) throws -> JSONValue {
        func invalid() -> DataverseError {
            .uri("The key value \(literal.rendered) is not a valid literal for the property '\(column.logicalName)' of 'Microsoft.Dynamics.CRM.\(table)'.")
        }
        switch (column.type, literal) {
        case (.string, .quoted(let text)), (.memo, .quoted(let text)):
            return .string(text)
        case (.integer, .bare(let text)):
            guard let number = Int(text), number >= Int(Int32.min), number <= Int(Int32.max) else { throw invalid() }
            return .number(Double(number))
        case (.decimal, .bare(let text)), (.double, .bare(let text)):
            let digits = text.hasSuffix("m") || text.hasSuffix("M") || text.hasSuffix("d") ? String(text.dropLast()) : text
            guard let number = Double(digits), number.isFinite else { throw invalid() }
            return .number(number)
        case (.dateOnly, .bare(let text)):
            guard dateOnly(text) != nil else { throw invalid() }
            return .string(text)
        case (.dateAndTime, .bare(let text)):
            guard let seconds = RFC3339.parse(text), text.count > 10 else { throw invalid() }
            return .string(RFC3339.string(seconds))
        case (.lookup, .bare(let text)), (.uniqueIdentifier, .bare(let text)):
            guard let id = UUID(uuidString: text) else { throw invalid() }
            return .string(id.uuidString.lowercased())
        default:
            throw invalid()
        }
    }

    /// Days since 1970 of a strict `yyyy-MM-dd`.
    static func dateOnly(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), (1...12).contains(month),
            day >= 1, day <= CivilTime.daysInMonth(year: year, month: month)
        else { return nil }
        return CivilTime.days(year: year, month: month, day: day)
    }

    static func checkRange(_ seconds: Int, text: String, column: FakeDataverseColumn, table: String) throws {
        guard seconds >= earliest, seconds <= latest else {
            throw DataverseError.outOfRange(text, column: column.logicalName, table: table, accepted: "1753-01-01 to 9999-12-31")
        }
    }

    /// Decimal places in the shortest text of a number (`1.25` → 2, `1e-05` → 5).
    static func decimals(_ number: Double) -> Int {
        let text = String(number)
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var fraction = 0
        if let dot = mantissa.firstIndex(of: ".") {
            let digits = mantissa[mantissa.index(after: dot)...]
            fraction = digits == "0" ? 0 : digits.count
        }
        return max(0, fraction - exponent)
    }

    /// A stored value as JSON for reading.
    static func rendered(_ value: JSONValue?) -> [UInt8] {
        guard let value else { return JSONBytes.null }
        return JSONBytes.value(value)
    }
}
