import FakeServiceKit
import Foundation
import Ingest

/// `EntityDefinitions(…)/Attributes`: columns
/// (learn.microsoft.com/power-apps/developer/data-platform/webapi/create-update-column-definitions-using-web-api).
extension OrganizationState {
    /// A column definition from a create request's JSON (a table's `Attributes` item or a POST to `Attributes`).
    func column(from body: JSONObject, table: FakeDataverseTable, solution: String?, primaryName: Bool) throws -> FakeDataverseColumn {
        let declared = MetadataValidation.typeName(body["@odata.type"])
        let attributeType = body["AttributeType"]?.stringValue
        let kinds: [String: String] = [
            "StringAttributeMetadata": "String", "MemoAttributeMetadata": "Memo", "IntegerAttributeMetadata": "Integer",
            "DecimalAttributeMetadata": "Decimal", "DoubleAttributeMetadata": "Double", "DateTimeAttributeMetadata": "DateTime",
            "BooleanAttributeMetadata": "Boolean", "LookupAttributeMetadata": "Lookup", "MoneyAttributeMetadata": "Money",
            "PicklistAttributeMetadata": "Picklist", "BigIntAttributeMetadata": "BigInt", "MultiSelectPicklistAttributeMetadata": "Virtual",
            "FileAttributeMetadata": "Virtual", "ImageAttributeMetadata": "Virtual",
        ]
        guard let kind = declared.flatMap({ kinds[$0] }) ?? attributeType else {
            throw DataverseError.invalidArgument("A column definition needs an @odata.type (…AttributeMetadata) or an AttributeType.")
        }
        if declared != nil, let attributeType, attributeType != kind {
            throw DataverseError.invalidArgument("AttributeType '\(attributeType)' does not match the @odata.type \(declared!).")
        }
        let schemaName = try MetadataValidation.schemaName(body["SchemaName"], prefix: setup.publisherPrefix, type: "Attribute")
        let logicalName = schemaName.lowercased()
        guard table.column(logicalName) == nil, logicalName != table.primaryIdAttribute else { throw DataverseError.duplicateName(schemaName) }
        let displayName = try MetadataValidation.label(body["DisplayName"], property: "DisplayName", required: primaryName)
        let description = try MetadataValidation.label(body["Description"], property: "Description", required: false)
        let type: FakeDataverseColumnType
        var format: String?
        switch kind {
        case "String":
            if primaryName, body["MaxLength"] == nil || body["MaxLength"] == .null {
                throw DataverseError.invalidArgument("The primary name column must have a MaxLength.")
            }
            type = .string(maxLength: try MetadataValidation.integer(body["MaxLength"], property: "MaxLength", default: 100, range: 1...4000))
            format = body["FormatName"]?.objectValue?["Value"]?.stringValue ?? body["Format"]?.stringValue
            if primaryName, let format, format != "Text" { throw DataverseError.invalidArgument("The primary name attribute must use Text format.") }
        case "Memo":
            type = .memo(maxLength: try MetadataValidation.integer(body["MaxLength"], property: "MaxLength", default: 2000, range: 1...1_048_576))
            format = body["Format"]?.stringValue
        case "Integer":
            let minValue = try MetadataValidation.integer(body["MinValue"], property: "MinValue", default: Int(Int32.min), range: Int(Int32.min)...Int(Int32.max))
            let maxValue = try MetadataValidation.integer(body["MaxValue"], property: "MaxValue", default: Int(Int32.max), range: Int(Int32.min)...Int(Int32.max))
            guard minValue <= maxValue else { throw DataverseError.invalidArgument("MinValue must not be greater than MaxValue.") }
            type = .integer(minValue: minValue, maxValue: maxValue)
        case "Decimal", "Double":
            let isDecimal = kind == "Decimal"
            let limit = 100_000_000_000.0
            let precision = try MetadataValidation.integer(body["Precision"], property: "Precision", default: 2, range: 0...(isDecimal ? 10 : 5))
            let minValue = try MetadataValidation.number(body["MinValue"], property: "MinValue", default: -limit, range: -limit...limit)
            let maxValue = try MetadataValidation.number(body["MaxValue"], property: "MaxValue", default: limit, range: -limit...limit)
            guard minValue <= maxValue else { throw DataverseError.invalidArgument("MinValue must not be greater than MaxValue.") }
            type = isDecimal
                ? .decimal(minValue: minValue, maxValue: maxValue, precision: precision)
                : .double(minValue: minValue, maxValue: maxValue, precision: precision)
        case "DateTime":
            let value = body["Format"]?.stringValue ?? body["Format"]?.objectValue?["Value"]?.stringValue ?? "DateAndTime"
            switch value {
            case "DateOnly": type = .dateOnly
            case "DateAndTime": type = .dateAndTime
            default: throw DataverseError.invalidArgument("The DateTime Format '\(value)' is not valid: use DateOnly or DateAndTime.")
            }
        case "Boolean":
            type = .boolean
        case "Lookup":
            throw DataverseError.invalidArgument("Lookup columns are created with their relationship (POST RelationshipDefinitions with a Lookup).")
        default:
            throw DataverseError(status: 501, code: "", message: "The fake does not model \(kind) columns.")
        }
        if primaryName {
            guard case .string = type else { throw DataverseError.invalidArgument("The primary name column must be a StringAttributeMetadata.") }
        }
        return FakeDataverseColumn(
            logicalName: logicalName, schemaName: schemaName, type: type, isPrimaryName: primaryName, solution: solution, displayName: displayName,
            description: description, requiredLevel: body["RequiredLevel"], format: format)
    }

    mutating func createColumn(on table: FakeDataverseTable, _ operation: Operation, context: inout RequestContext) throws -> FakeDataverseResponse {
        let body = try operation.object(table: "AttributeMetadata")
        if body["IsPrimaryName"]?.boolValue == true {
            throw DataverseError.invalidArgument("The primary name column is created with its table.")
        }
        let column = try self.column(from: body, table: table, solution: operation.header("MSCRM.SolutionUniqueName"), primaryName: false)
        add(column, to: table.logicalName)
        return .noContent(headers: [
            ("OData-EntityId", "\(context.serviceRoot)/EntityDefinitions(\(table.metadataID.uuidString.lowercased()))/Attributes(\(column.metadataID.uuidString.lowercased()))")
        ])
    }

    /// Adds a column (values left by an earlier column of the same name are dropped).
    mutating func add(_ column: FakeDataverseColumn, to table: String) {
        tables[table]?.add(column)
        let stale = rows[table]?.rows.filter { $0.value.values[column.logicalName] != nil }.map(\.key) ?? []
        for id in stale {
            guard var values = rows[table]?[id]?.values, let version = rows[table]?[id]?.version else { continue }
            values[column.logicalName] = nil
            rows[table]?.put(id, values: values, version: version)
        }
    }

    func columnAddressed(_ table: FakeDataverseTable, _ predicate: String) throws -> FakeDataverseColumn {
        guard let key = KeyPredicate.parse(predicate), key.parts.count == 1 else { throw DataverseError.uri("The key '\(predicate)' of Attributes is not valid.") }
        let part = key.parts[0]
        let found: FakeDataverseColumn?
        switch (part.name, part.literal) {
        case ("LogicalName", .quoted(let name)): found = table.column(name.lowercased())
        case (nil, .bare(let text)), ("MetadataId", .bare(let text)): found = table.columns.first { $0.metadataID == UUID(uuidString: text) }
        default: throw DataverseError.uri("The key '\(predicate)' of Attributes is not valid.")
        }
        guard let found else { throw DataverseError.metadataNotFound("an attribute \(predicate) of \(table.logicalName)") }
        return found
    }

    func listColumns(_ table: FakeDataverseTable, _ operation: Operation, context: RequestContext) throws -> FakeDataverseResponse {
        let query = try MetadataQuery.parse(operation.query, known: MetadataJSON.columnProperties, type: "AttributeMetadata", allowsExpand: false)
        let items = table.columns.map { MetadataJSON.column($0, table: table.logicalName) }.filter { MetadataQuery.matches($0, filter: query.filter) }
            .map { MetadataQuery.selected($0, query.select) }
        return collection(items, context: "\(context.serviceRoot)/$metadata#EntityDefinitions('\(table.metadataID.uuidString.lowercased())')/Attributes\(query.contextSuffix)")
    }

    func readColumn(_ table: FakeDataverseTable, _ predicate: String, _ operation: Operation, context: RequestContext) throws -> FakeDataverseResponse {
        let query = try MetadataQuery.parse(operation.query, known: MetadataJSON.columnProperties, type: "AttributeMetadata", allowsExpand: false)
        var object = MetadataQuery.selected(MetadataJSON.column(try columnAddressed(table, predicate), table: table.logicalName), query.select)
        object.members.insert(
            ("@odata.context", .string("\(context.serviceRoot)/$metadata#EntityDefinitions('\(table.metadataID.uuidString.lowercased())')/Attributes/$entity")),
            at: 0)
        return .json(JSONBytes.value(.object(object)))
    }

    mutating func deleteColumn(_ table: FakeDataverseTable, _ predicate: String, transaction: inout Transaction) throws -> FakeDataverseResponse {
        let column = try columnAddressed(table, predicate)
        guard column.isCustom, !column.isPrimaryID, !column.isPrimaryName else {
            throw DataverseError(status: 403, code: "0x80048306", message: "The column \(column.logicalName) can't be deleted.")
        }
        if let relationship = relationships.values.first(where: { $0.referencingEntity == table.logicalName && $0.referencingAttribute == column.logicalName }) {
            relationships[relationship.schemaName.lowercased()] = nil
        }
        try removeColumn(column.logicalName, of: table.logicalName, transaction: &transaction)
        return .noContent()
    }

    /// Takes a column out of a table's definition (its stored values stay invisible until a rollback brings it back).
    mutating func removeColumn(_ column: String, of table: String, transaction: inout Transaction) throws {
        if let key = tables[table]?.keys.first(where: { $0.attributes.contains(column) }) {
            throw DataverseError.invalidArgument("The column \(column) is used by the alternate key \(key.schemaName); delete the key first.")
        }
        tables[table]?.removeColumn(column)
    }
}
