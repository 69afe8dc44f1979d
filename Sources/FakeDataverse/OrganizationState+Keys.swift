import FakeServiceKit
import Foundation
import Ingest

/// `EntityDefinitions(…)/Keys`: alternate keys and their index jobs
/// (learn.microsoft.com/power-apps/developer/data-platform/define-alternate-keys-entity).
extension OrganizationState {
    /// At most ten keys per table, sixteen columns per key, 900 bytes per key.
    static let maximumKeys = 10
    static let maximumKeyColumns = 16
    static let maximumKeyBytes = 900

    mutating func createKey(on table: FakeDataverseTable, _ operation: Operation, context: inout RequestContext) throws -> FakeDataverseResponse {
        let body = try operation.object(table: "EntityKeyMetadata")
        if let type = MetadataValidation.typeName(body["@odata.type"]), type != "EntityKeyMetadata" {
            throw DataverseError.invalidArgument("The @odata.type of a key definition must be Microsoft.Dynamics.CRM.EntityKeyMetadata, not \(type).")
        }
        let schemaName = try MetadataValidation.schemaName(body["SchemaName"], prefix: setup.publisherPrefix, type: "EntityKey")
        let displayName = try MetadataValidation.label(body["DisplayName"], property: "DisplayName", required: false)
        guard let names = body["KeyAttributes"]?.arrayValue?.compactMap(\.stringValue), !names.isEmpty,
            names.count == body["KeyAttributes"]?.arrayValue?.count
        else {
            throw DataverseError.invalidArgument("KeyAttributes must be a non-empty array of column logical names.")
        }
        guard names.count <= Self.maximumKeyColumns else {
            throw DataverseError.invalidArgument("A key can have at most \(Self.maximumKeyColumns) columns (found \(names.count)).")
        }
        guard Set(names).count == names.count else { throw DataverseError.invalidArgument("KeyAttributes names a column twice.") }
        var bytes = 0
        for name in names {
            guard let column = table.column(name) else {
                throw DataverseError.invalidArgument("The column '\(name)' named in KeyAttributes does not exist on \(table.logicalName).")
            }
            guard column.type.allowedInKey else {
                throw DataverseError.invalidArgument(
                    "The column '\(name)' is of type \(column.type.attributeType); alternate keys can use Decimal, Integer, String, DateTime, Lookup and Picklist columns only."
                )
            }
            bytes += column.type.indexBytes
        }
        guard bytes <= Self.maximumKeyBytes else {
            throw DataverseError.invalidArgument("The key's columns take \(bytes) bytes; an index key can take at most \(Self.maximumKeyBytes).")
        }
        if table.keys.contains(where: { $0.logicalName == schemaName.lowercased() }) {
            throw DataverseError.keyNameExists(schemaName, table: table.logicalName)
        }
        if table.keys.contains(where: { Set($0.attributes) == Set(names) }) { throw DataverseError.keyAttributesExist }
        guard table.keys.count < Self.maximumKeys else {
            throw DataverseError.invalidArgument("A table can have at most \(Self.maximumKeys) alternate keys.")
        }
        let key = FakeDataverseKey(
            schemaName: schemaName, attributes: names, solution: operation.header("MSCRM.SolutionUniqueName"), displayName: displayName,
            createdAt: context.now)
        tables[table.logicalName]?.keys.append(key)
        progressKeys(of: table.logicalName, settings: context.settings, now: context.now)
        return .noContent(headers: [
            ("OData-EntityId", "\(context.serviceRoot)/EntityDefinitions(\(table.metadataID.uuidString.lowercased()))/Keys(\(key.metadataID.uuidString.lowercased()))")
        ])
    }

    func keyAddressed(_ table: FakeDataverseTable, _ predicate: String) throws -> FakeDataverseKey {
        guard let parsed = KeyPredicate.parse(predicate), parsed.parts.count == 1 else { throw DataverseError.uri("The key '\(predicate)' of Keys is not valid.") }
        let part = parsed.parts[0]
        let found: FakeDataverseKey?
        switch (part.name, part.literal) {
        case ("LogicalName", .quoted(let name)): found = table.keys.first { $0.logicalName == name.lowercased() }
        case (nil, .bare(let text)), ("MetadataId", .bare(let text)): found = table.keys.first { $0.metadataID == UUID(uuidString: text) }
        default: throw DataverseError.uri("The key '\(predicate)' of Keys is not valid.")
        }
        guard let found else { throw DataverseError.metadataNotFound("a key \(predicate) of \(table.logicalName)") }
        return found
    }

    mutating func listKeys(_ table: FakeDataverseTable, _ operation: Operation, context: RequestContext) throws -> FakeDataverseResponse {
        let query = try MetadataQuery.parse(operation.query, known: MetadataJSON.keyProperties, type: "EntityKeyMetadata", allowsExpand: false)
        noteKeysRead(of: table.logicalName, settings: context.settings, now: context.now)
        let items = tables[table.logicalName]!.keys.map { MetadataJSON.key($0, table: table.logicalName) }
            .filter { MetadataQuery.matches($0, filter: query.filter) }.map { MetadataQuery.selected($0, query.select) }
        return collection(items, context: "\(context.serviceRoot)/$metadata#EntityDefinitions('\(table.metadataID.uuidString.lowercased())')/Keys\(query.contextSuffix)")
    }

    mutating func readKey(_ table: FakeDataverseTable, _ predicate: String, _ operation: Operation, context: RequestContext) throws -> FakeDataverseResponse {
        let query = try MetadataQuery.parse(operation.query, known: MetadataJSON.keyProperties, type: "EntityKeyMetadata", allowsExpand: false)
        let id = try keyAddressed(table, predicate).metadataID
        noteKeysRead(of: table.logicalName, settings: context.settings, now: context.now)
        guard let key = tables[table.logicalName]?.keys.first(where: { $0.metadataID == id }) else { throw DataverseError.metadataNotFound("the key") }
        var object = MetadataQuery.selected(MetadataJSON.key(key, table: table.logicalName), query.select)
        object.members.insert(
            ("@odata.context", .string("\(context.serviceRoot)/$metadata#EntityDefinitions('\(table.metadataID.uuidString.lowercased())')/Keys/$entity")), at: 0)
        return .json(JSONBytes.value(.object(object)))
    }

    /// "If the alternate key is deleted while an index creation job is still pending or in progress, the job is cancelled."
    mutating func deleteKey(_ table: FakeDataverseTable, _ predicate: String) throws -> FakeDataverseResponse {
        let key = try keyAddressed(table, predicate)
        tables[table.logicalName]?.keys.removeAll { $0.metadataID == key.metadataID }
        rows[table.logicalName]?.dropIndex(key.logicalName)
        return .noContent()
    }
}
