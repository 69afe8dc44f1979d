import FakeServiceKit
import Foundation
import Ingest

/// `EntityDefinitions`: reading and creating tables, and the routes below a table
/// (learn.microsoft.com/power-apps/developer/data-platform/webapi/create-update-entity-definitions-using-web-api).
extension OrganizationState {
    mutating func entityDefinitions(
        _ operation: Operation, predicate: String?, context: inout RequestContext, transaction: inout Transaction
    ) throws -> FakeDataverseResponse {
        let segments = operation.segments
        guard let predicate else {
            guard segments.count == 1 else { throw DataverseError.resourceNotFound(segments[1]) }
            switch operation.method {
            case "GET": return try listTables(operation, context: &context)
            case "POST": return try createTable(operation, context: &context, transaction: &transaction)
            default: throw DataverseError.methodNotAllowed(operation.method)
            }
        }
        let table = try tableAddressed(by: predicate)
        if segments.count == 1 {
            switch operation.method {
            case "GET": return try readTable(table, operation, context: &context)
            case "DELETE": return try deleteTable(table, transaction: &transaction)
            case "PUT": throw DataverseError(status: 501, code: "", message: "The fake does not update table definitions.")
            default: throw DataverseError.methodNotAllowed(operation.method)
            }
        }
        guard segments.count == 2 else { throw DataverseError.resourceNotFound(segments[2]) }
        let (name, itemPredicate) = ODataPath.split(segments[1])
        switch (name, operation.method, itemPredicate) {
        case ("Attributes", "GET", nil): return try listColumns(table, operation, context: context)
        case ("Attributes", "POST", nil): return try createColumn(on: table, operation, context: &context)
        case ("Attributes", "GET", let item?): return try readColumn(table, item, operation, context: context)
        case ("Attributes", "DELETE", let item?): return try deleteColumn(table, item, transaction: &transaction)
        case ("Keys", "GET", nil): return try listKeys(table, operation, context: context)
        case ("Keys", "POST", nil): return try createKey(on: table, operation, context: &context)
        case ("Keys", "GET", let item?): return try readKey(table, item, operation, context: context)
        case ("Keys", "DELETE", let item?): return try deleteKey(table, item)
        case ("ManyToOneRelationships", "GET", nil), ("OneToManyRelationships", "GET", nil):
            return try listRelationships(of: table, manyToOne: name == "ManyToOneRelationships", operation, context: context)
        case ("Attributes", _, _), ("Keys", _, _), ("ManyToOneRelationships", _, _), ("OneToManyRelationships", _, _):
            throw DataverseError.methodNotAllowed(operation.method)
        default:
            throw DataverseError.resourceNotFound(segments[1])
        }
    }

    /// `LogicalName='x'` or the MetadataId.
    func tableAddressed(by predicate: String) throws -> FakeDataverseTable {
        guard let key = KeyPredicate.parse(predicate), key.parts.count == 1 else {
            throw DataverseError.uri("The key '\(predicate)' of EntityDefinitions is not valid.")
        }
        let part = key.parts[0]
        switch (part.name, part.literal) {
        case ("LogicalName", .quoted(let name)):
            if let table = tables[name.lowercased()] { return table }
            throw DataverseError.metadataNotFound("an entity with LogicalName = '\(name)'")
        case (nil, .bare(let text)), ("MetadataId", .bare(let text)):
            if let id = UUID(uuidString: text), let table = tables.values.first(where: { $0.metadataID == id }) { return table }
            throw DataverseError.metadataNotFound("an entity with MetadataId = \(text)")
        default:
            throw DataverseError.uri("The key '\(predicate)' of EntityDefinitions is not valid.")
        }
    }

    // MARK: Reading

    mutating func listTables(_ operation: Operation, context: inout RequestContext) throws -> FakeDataverseResponse {
        let query = try MetadataQuery.parse(operation.query, known: MetadataJSON.tableProperties, type: "EntityMetadata", allowsExpand: true)
        var items: [[UInt8]] = []
        for name in tables.keys.sorted() {
            let object = MetadataJSON.table(tables[name]!)
            guard MetadataQuery.matches(object, filter: query.filter) else { continue }
            items.append(JSONBytes.value(.object(expanded(name, object: MetadataQuery.selected(object, query.select), query: query, context: context))))
        }
        return .json(
            JSONBytes.object([
                ("@odata.context", JSONBytes.string("\(context.serviceRoot)/$metadata#EntityDefinitions\(query.contextSuffix)")),
                ("value", JSONBytes.array(items)),
            ]))
    }

    mutating func readTable(_ table: FakeDataverseTable, _ operation: Operation, context: inout RequestContext) throws -> FakeDataverseResponse {
        let query = try MetadataQuery.parse(operation.query, known: MetadataJSON.tableProperties, type: "EntityMetadata", allowsExpand: true)
        var object = MetadataQuery.selected(MetadataJSON.table(table), query.select)
        object = expanded(table.logicalName, object: object, query: query, context: context)
        object.members.insert(("@odata.context", .string("\(context.serviceRoot)/$metadata#EntityDefinitions\(query.contextSuffix)/$entity")), at: 0)
        return .json(JSONBytes.value(.object(object)))
    }

    /// Adds the `$expand`ed navigation properties (reading keys counts as a read of them).
    mutating func expanded(_ table: String, object: JSONObject, query: MetadataQuery, context: RequestContext) -> JSONObject {
        var object = object
        for expansion in query.expand {
            var items: [JSONObject]
            switch expansion.name {
            case "Attributes":
                items = tables[table]!.columns.map { MetadataJSON.column($0, table: table) }
            case "Keys":
                noteKeysRead(of: table, settings: context.settings, now: context.now)
                items = tables[table]!.keys.map { MetadataJSON.key($0, table: table) }
            default:
                let manyToOne = expansion.name == "ManyToOneRelationships"
                items = relationships.values.filter { (manyToOne ? $0.referencingEntity : $0.referencedEntity) == table }
                    .sorted { $0.schemaName < $1.schemaName }.map(MetadataJSON.relationship)
            }
            items = items.filter { MetadataQuery.matches($0, filter: expansion.filter) }.map { MetadataQuery.selected($0, expansion.select) }
            object.members.append((expansion.name, .array(items.map { .object($0) })))
        }
        return object
    }

    func collection(_ items: [JSONObject], context: String) -> FakeDataverseResponse {
        .json(JSONBytes.object([("@odata.context", JSONBytes.string(context)), ("value", JSONBytes.array(items.map { JSONBytes.value(.object($0)) }))]))
    }

    // MARK: Creating

    /// `POST EntityDefinitions`: the documented required properties, a primary name column, the publisher prefix.
    mutating func createTable(_ operation: Operation, context: inout RequestContext, transaction: inout Transaction) throws -> FakeDataverseResponse {
        let body = try operation.object(table: "EntityMetadata")
        if let type = MetadataValidation.typeName(body["@odata.type"]), type != "EntityMetadata" {
            throw DataverseError.invalidArgument("The @odata.type of a table definition must be Microsoft.Dynamics.CRM.EntityMetadata, not \(type).")
        }
        let schemaName = try MetadataValidation.schemaName(body["SchemaName"], prefix: setup.publisherPrefix, type: "Entity")
        let displayName = try MetadataValidation.label(body["DisplayName"], property: "DisplayName", required: true)
        let collectionName = try MetadataValidation.label(body["DisplayCollectionName"], property: "DisplayCollectionName", required: true)
        let description = try MetadataValidation.label(body["Description"], property: "Description", required: false)
        let hasNotes = try MetadataValidation.bool(body["HasNotes"], property: "HasNotes")
        let hasActivities = try MetadataValidation.bool(body["HasActivities"], property: "HasActivities")
        guard let primaryName = body["PrimaryNameAttribute"]?.stringValue, !primaryName.isEmpty else {
            throw DataverseError.invalidArgument("The PrimaryNameAttribute property is required to create a table.")
        }
        if body["IsActivity"]?.boolValue == true { throw DataverseError(status: 501, code: "", message: "The fake does not model activity tables.") }
        let ownership = body["OwnershipType"]?.stringValue ?? "UserOwned"
        guard ["UserOwned", "OrganizationOwned"].contains(ownership) else {
            throw DataverseError.invalidArgument("OwnershipType '\(ownership)' is not supported: use UserOwned or OrganizationOwned.")
        }
        let logicalName = schemaName.lowercased()
        let entitySet = body["EntitySetName"]?.stringValue ?? FakeDataverseTable.plural(logicalName)
        guard tables[logicalName] == nil, self.table(entitySet: entitySet) == nil else { throw DataverseError.duplicateName(schemaName) }
        let solution = operation.header("MSCRM.SolutionUniqueName")
        nextObjectTypeCode += 1
        var table = FakeDataverseTable(
            logicalName: logicalName, schemaName: schemaName, entitySetName: entitySet, primaryIdAttribute: logicalName + "id",
            primaryNameAttribute: primaryName, isCustom: true, solution: solution, objectTypeCode: nextObjectTypeCode, displayName: displayName,
            displayCollectionName: collectionName, description: description, hasNotes: hasNotes, hasActivities: hasActivities, ownershipType: ownership)
        table.add(
            FakeDataverseColumn(
                logicalName: logicalName + "id", schemaName: schemaName + "Id", type: .uniqueIdentifier, isPrimaryID: true, solution: solution,
                displayName: displayName))
        // "The table must also include one StringAttributeMetadata column in the Attributes collection to be the primary name column."
        guard let attributes = body["Attributes"]?.arrayValue, !attributes.isEmpty else {
            throw DataverseError.invalidArgument("The Attributes collection must contain the primary name column (a StringAttributeMetadata with IsPrimaryName true).")
        }
        var primaryNames = 0
        for attribute in attributes {
            guard let object = attribute.objectValue else { throw DataverseError.invalidArgument("Each item of Attributes must be an object.") }
            let isPrimaryName = object["IsPrimaryName"]?.boolValue == true
            let column = try self.column(from: object, table: table, solution: solution, primaryName: isPrimaryName)
            if isPrimaryName {
                primaryNames += 1
                guard column.logicalName == primaryName else {
                    throw DataverseError.invalidArgument(
                        "PrimaryNameAttribute '\(primaryName)' must be the LogicalName of the primary name column ('\(column.logicalName)').")
                }
            }
            table.add(column)
        }
        guard primaryNames == 1 else {
            throw DataverseError.invalidArgument("Exactly one column of Attributes must have IsPrimaryName set to true (found \(primaryNames)).")
        }
        tables[logicalName] = table
        rows[logicalName] = RowStore(caseInsensitive: context.settings.caseInsensitiveStrings)
        return .noContent(headers: [("OData-EntityId", "\(context.serviceRoot)/EntityDefinitions(\(table.metadataID.uuidString.lowercased()))")])
    }

    /// Deletes a custom table, its rows, its relationships and the lookups to it.
    mutating func deleteTable(_ table: FakeDataverseTable, transaction: inout Transaction) throws -> FakeDataverseResponse {
        guard table.isCustom else { throw DataverseError(status: 403, code: "0x80048306", message: "System tables can't be deleted.") }
        for relationship in relationships.values where relationship.referencedEntity == table.logicalName || relationship.referencingEntity == table.logicalName {
            relationships[relationship.schemaName.lowercased()] = nil
            if relationship.referencedEntity == table.logicalName, relationship.referencingEntity != table.logicalName {
                try removeColumn(relationship.referencingAttribute, of: relationship.referencingEntity, transaction: &transaction)
            }
        }
        tables[table.logicalName] = nil
        transaction.removedStores[table.logicalName] = rows.removeValue(forKey: table.logicalName)
        return .noContent()
    }
}
