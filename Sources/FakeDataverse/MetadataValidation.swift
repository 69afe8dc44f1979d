import FakeServiceKit
import Foundation
import Ingest

/// Checks shared by every metadata create request.
enum MetadataValidation {
    /// A schema name: a letter, then letters, digits and underscores; it must carry the publisher prefix
    /// (`{prefix}_…`, else `0x80044366` InvalidNamePrefix).
    static func schemaName(_ value: JSONValue?, prefix: String, type: String, property: String = "SchemaName") throws -> String {
        guard let name = value?.stringValue, !name.isEmpty else {
            throw DataverseError.invalidArgument("The \(property) property is required to create a \(type).")
        }
        guard let first = name.unicodeScalars.first, CharacterSet.letters.contains(first),
            name.unicodeScalars.allSatisfy({ ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || $0 == "_" })
        else {
            throw DataverseError.invalidArgument("The \(property) '\(name)' is not valid: use letters, digits and underscores, starting with a letter.")
        }
        let required = prefix.lowercased() + "_"
        guard name.lowercased().hasPrefix(required), name.count > required.count else { throw DataverseError.invalidPrefix(name, type: type) }
        return name
    }

    /// A `Label` with at least one `LocalizedLabels` entry (`Label` text and `LanguageCode`).
    @discardableResult
    static func label(_ value: JSONValue?, property: String, required: Bool) throws -> JSONValue? {
        guard let value, value != .null else {
            if required { throw DataverseError.invalidArgument("The \(property) property is required.") }
            return nil
        }
        guard let labels = value.objectValue?["LocalizedLabels"]?.arrayValue, !labels.isEmpty else {
            throw DataverseError.invalidArgument("\(property) must be a Label with at least one LocalizedLabels entry.")
        }
        for label in labels {
            guard let object = label.objectValue, object["Label"]?.stringValue != nil, case .number? = object["LanguageCode"] else {
                throw DataverseError.invalidArgument("Each LocalizedLabel of \(property) needs a Label and a LanguageCode.")
            }
        }
        return value
    }

    /// `Microsoft.Dynamics.CRM.X`, `#Microsoft.Dynamics.CRM.X` → `X`.
    static func typeName(_ value: JSONValue?) -> String? {
        guard var text = value?.stringValue else { return nil }
        if text.hasPrefix("#") { text.removeFirst() }
        if text.hasPrefix("Microsoft.Dynamics.CRM.") { text.removeFirst("Microsoft.Dynamics.CRM.".count) }
        return text
    }

    static func bool(_ value: JSONValue?, property: String) throws -> Bool {
        guard let flag = value?.boolValue else { throw DataverseError.invalidArgument("The \(property) property is required and must be true or false.") }
        return flag
    }

    static func integer(_ value: JSONValue?, property: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let value, value != .null else { return fallback }
        guard case .number(let number) = value, number == number.rounded(), number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
            throw DataverseError.invalidArgument("\(property) must be a whole number from \(range.lowerBound) to \(range.upperBound).")
        }
        return Int(number)
    }

    static func number(_ value: JSONValue?, property: String, default fallback: Double, range: ClosedRange<Double>) throws -> Double {
        guard let value, value != .null else { return fallback }
        guard case .number(let number) = value, range.contains(number) else {
            throw DataverseError.invalidArgument(
                "\(property) must be a number from \(JSONBytes.numberText(range.lowerBound)) to \(JSONBytes.numberText(range.upperBound)).")
        }
        return number
    }
}
