import Foundation
import Ingest

/// A column's type and the limits its values are checked against.
public enum FakeDataverseColumnType: Sendable, Equatable {
    /// The primary key.
    case uniqueIdentifier
    case string(maxLength: Int)
    case memo(maxLength: Int)
    case integer(minValue: Int, maxValue: Int)
    case decimal(minValue: Double, maxValue: Double, precision: Int)
    case double(minValue: Double, maxValue: Double, precision: Int)
    /// DateTime with `Format: DateOnly` (`Edm.Date`, `yyyy-MM-dd`).
    case dateOnly
    /// DateTime with `Format: DateAndTime` (`Edm.DateTimeOffset`, kept in UTC).
    case dateAndTime
    case boolean
    /// A lookup to another table (by logical name).
    case lookup(target: String)

    /// `AttributeType` of the metadata.
    var attributeType: String {
        switch self {
        case .uniqueIdentifier: "Uniqueidentifier"
        case .string: "String"
        case .memo: "Memo"
        case .integer: "Integer"
        case .decimal: "Decimal"
        case .double: "Double"
        case .dateOnly, .dateAndTime: "DateTime"
        case .boolean: "Boolean"
        case .lookup: "Lookup"
        }
    }

    /// The `…AttributeMetadata` derived type.
    var metadataType: String {
        switch self {
        case .uniqueIdentifier: "UniqueIdentifierAttributeMetadata"
        case .string: "StringAttributeMetadata"
        case .memo: "MemoAttributeMetadata"
        case .integer: "IntegerAttributeMetadata"
        case .decimal: "DecimalAttributeMetadata"
        case .double: "DoubleAttributeMetadata"
        case .dateOnly, .dateAndTime: "DateTimeAttributeMetadata"
        case .boolean: "BooleanAttributeMetadata"
        case .lookup: "LookupAttributeMetadata"
        }
    }

    /// Types an alternate key may use: Decimal, Integer, String, DateTime, Lookup, Picklist
    /// (learn.microsoft.com/power-apps/developer/data-platform/define-alternate-keys-entity).
    var allowedInKey: Bool {
        switch self {
        case .string, .integer, .decimal, .dateOnly, .dateAndTime, .lookup: true
        default: false
        }
    }

    /// Bytes in an index key (nvarchar: two per character), against the documented 900.
    var indexBytes: Int {
        switch self {
        case .string(let maxLength): maxLength * 2
        case .integer: 4
        case .decimal: 13
        case .dateOnly, .dateAndTime: 8
        case .lookup, .uniqueIdentifier: 16
        default: 8
        }
    }
}

/// A column (attribute) of a table.
public struct FakeDataverseColumn: Sendable {
    public let metadataID: UUID
    public let logicalName: String
    public let schemaName: String
    public let type: FakeDataverseColumnType
    public let isPrimaryID: Bool
    public let isPrimaryName: Bool
    public let isCustom: Bool
    /// For lookups: the single-valued navigation property that `@odata.bind` names.
    public let navigationProperty: String?
    /// The solution named by `MSCRM.SolutionUniqueName` when it was created.
    public let solution: String?
    /// The `DisplayName`, `Description` and `RequiredLevel` as sent.
    let displayName: JSONValue?
    let description: JSONValue?
    let requiredLevel: JSONValue?
    /// `FormatName`/`Format` as sent (String: Text, Email…; Memo: TextArea).
    let format: String?

    init(
        logicalName: String, schemaName: String, type: FakeDataverseColumnType, isPrimaryID: Bool = false, isPrimaryName: Bool = false,
        isCustom: Bool = true, navigationProperty: String? = nil, solution: String? = nil, displayName: JSONValue? = nil,
        description: JSONValue? = nil, requiredLevel: JSONValue? = nil, format: String? = nil, metadataID: UUID = UUID()
    ) {
        self.metadataID = metadataID
        self.logicalName = logicalName
        self.schemaName = schemaName
        self.type = type
        self.isPrimaryID = isPrimaryID
        self.isPrimaryName = isPrimaryName
        self.isCustom = isCustom
        self.navigationProperty = navigationProperty
        self.solution = solution
        self.displayName = displayName
        self.description = description
        self.requiredLevel = requiredLevel
        self.format = format
    }

    /// The name a lookup's value is read under: `_{logicalname}_value`.
    var valueProperty: String { "_\(logicalName)_value" }

    var isLookup: Bool {
        if case .lookup = type { return true }
        return false
    }
}
