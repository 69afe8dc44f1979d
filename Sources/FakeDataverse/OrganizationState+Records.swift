import FakeServiceKit
import Foundation
import Ingest

/// Rows: create, retrieve, upsert, update and delete, by primary key or alternate key
/// (learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api).
extension OrganizationState {
    mutating func records(
        _ operation: Operation, entitySet: String, predicate: String?, context: inout RequestContext, transaction: inout Transaction
    ) throws -> FakeDataverseResponse {
        guard let table = self.table(entitySet: entitySet) else { throw DataverseError.resourceNotFound(entitySet) }
        if operation.segments.count == 2, predicate == nil, operation.segments[1] == "Microsoft.Dynamics.CRM.UpsertMultiple" {
            guard operation.method == "POST" else { throw DataverseError.methodNotAllowed(operation.method) }
            return try upsertMultiple(table, operation, context: &context, transaction: &transaction)
        }
        guard operation.segments.count == 1 else { throw DataverseError.resourceNotFound(operation.segments[1]) }
        switch (operation.method, predicate) {
        case ("GET", nil):
            return try query(table, operation, context: context)
        case ("POST", nil):
            return try create(table, operation, context: context, transaction: &transaction)
        case ("GET", let predicate?):
            return try retrieve(table, try RecordAddress.parse(predicate, table: table), operation, context: context)
        case ("PATCH", let predicate?):
            return try upsert(table, try RecordAddress.parse(predicate, table: table), operation, context: context, transaction: &transaction)
        case ("DELETE", let predicate?):
            let address = try RecordAddress.parse(predicate, table: table)
            guard let id = find(address, in: table) else { throw notFound(address, table: table) }
            try deleteRow(table.logicalName, id: id, transaction: &transaction)
            return .noContent()
        default:
            throw DataverseError.methodNotAllowed(operation.method)
        }
    }

    func find(_ address: RecordAddress, in table: FakeDataverseTable) -> UUID? {
        switch address {
        case .id(let id): rows[table.logicalName]?[id] == nil ? nil : id
        case .key(let key, let values, _): rows[table.logicalName]?.find(key: key.logicalName, values: values)
        }
    }

    func notFound(_ address: RecordAddress, table: FakeDataverseTable) -> DataverseError {
        switch address {
        case .id(let id): .recordNotFound(table: table.logicalName, id: id.uuidString.lowercased())
        case .key: .recordNotFound(table: table.logicalName, key: address.description)
        }
    }

    // MARK: Writing

    /// The columns a body sets, checked against the metadata: column logical name → stored value.
    /// Annotations are skipped; `{navigation}@odata.bind` sets a lookup to an existing row.
    func changes(from body: JSONObject, table: FakeDataverseTable, context: RequestContext) throws -> [String: JSONValue] {
        var changes: [String: JSONValue] = [:]
        for (name, value) in body.members {
            if name.hasPrefix("@") { continue }
            if name.hasSuffix("@odata.bind") {
                let navigation = String(name.dropLast("@odata.bind".count))
                guard let lookup = table.lookup(navigation: navigation), case .lookup(let target) = lookup.type else {
                    throw DataverseError.payload(
                        table: table.logicalName,
                        "An undeclared property '\(navigation)' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values."
                    )
                }
                changes[lookup.logicalName] = try bound(value, target: target, table: table, context: context)
                continue
            }
            if name.contains("@") { continue }
            guard let column = table.column(name), !column.isLookup else { throw DataverseError.unknownProperty(name, table: table.logicalName) }
            changes[name] = try ColumnValues.stored(value, column: column, table: table.logicalName, settings: context.settings)
        }
        return changes
    }

    /// The id a `@odata.bind` reference names: `accounts(guid)`, `/accounts(guid)`, an absolute URL, or an alternate key.
    func bound(_ value: JSONValue, target: String, table: FakeDataverseTable, context: RequestContext) throws -> JSONValue {
        if case .null = value { return .null }
        guard case .string(var reference) = value else {
            throw DataverseError.payload(table: table.logicalName, "An @odata.bind value must be a URL such as 'accounts(00000000-0000-0000-0000-000000000001)'.")
        }
        if reference.hasPrefix(context.serviceRoot + "/") {
            reference.removeFirst(context.serviceRoot.count + 1)
        } else if let range = reference.range(of: "/api/data/v9.") {
            reference = String(reference[range.upperBound...].drop { $0 != "/" }.dropFirst())
        } else if reference.hasPrefix("/") {
            reference.removeFirst()
        }
        let (set, predicate) = ODataPath.split(ODataPath.decode(reference))
        guard let targetTable = tables[target], set == targetTable.entitySetName, let predicate else {
            throw DataverseError.payload(
                table: table.logicalName, "The reference '\(reference)' does not name a row of \(target) (entity set '\(tables[target]?.entitySetName ?? target)').")
        }
        let address = try RecordAddress.parse(predicate, table: targetTable)
        guard let id = find(address, in: targetTable) else { throw notFound(address, table: targetTable) }
        return .string(id.uuidString.lowercased())
    }

    /// Conditions of a write: `If-Match` (`*` or an ETag) and `If-None-Match: *` (`null` is the documented "no condition").
    struct Conditions {
        var ifMatch: String?
        var ifNoneMatch: String?

        init(_ operation: Operation?) {
            ifMatch = operation?.header("If-Match")?.trimmingCharacters(in: .whitespaces)
            let none = operation?.header("If-None-Match")?.trimmingCharacters(in: .whitespaces)
            ifNoneMatch = none == "null" ? nil : none
        }
    }

    /// Upserts one row (PATCH by key or id, and each UpsertMultiple target).
    ///
    /// On update the key values in the body are ignored; on create the URL's key values are set unless the body
    /// has them [doc]. Every active key stays unique (412 `0x80060892`).
    mutating func upsertRow(
        _ table: FakeDataverseTable, address: RecordAddress?, body: JSONObject, conditions: Conditions, context: RequestContext,
        transaction: inout Transaction
    ) throws -> (id: UUID, created: Bool, row: StoredRow) {
        let existing = address.flatMap { find($0, in: table) }
        if let ifMatch = conditions.ifMatch {
            guard let existing else { throw address.map { notFound($0, table: table) } ?? DataverseError.recordNotFound(table: table.logicalName, id: "") }
            if ifMatch != "*", ifMatch != etag(rows[table.logicalName]![existing]!) { throw DataverseError.versionMismatch }
        }
        if conditions.ifNoneMatch == "*", existing != nil { throw DataverseError.recordExists }
        var changes = try self.changes(from: body, table: table, context: context)
        let bodyID = changes.removeValue(forKey: table.primaryIdAttribute).flatMap { value -> UUID? in
            guard case .string(let text) = value else { return nil }
            return UUID(uuidString: text)
        }
        if let existing {
            if let bodyID, bodyID != existing {
                throw DataverseError.invalidArgument("The primary key \(table.primaryIdAttribute) in the body does not match the row the URL names.")
            }
            var values = rows[table.logicalName]![existing]!.values
            let ignored: Set<String> = if case .key(let key, _, _) = address { Set(key.attributes) } else { [] }
            for (name, value) in changes where !ignored.contains(name) { values[name] = value }
            try checkUnique(table, values: values, id: existing)
            return (existing, false, write(table.logicalName, id: existing, values: values, transaction: &transaction))
        }
        var id = bodyID ?? UUID()
        if case .id(let addressed) = address {
            if let bodyID, bodyID != addressed {
                throw DataverseError.invalidArgument("The primary key \(table.primaryIdAttribute) in the body does not match the row the URL names.")
            }
            id = addressed
        }
        if rows[table.logicalName]?[id] != nil {
            throw DataverseError(status: 412, code: "0x80040237", message: "Cannot insert duplicate key: a \(table.logicalName) with id \(id.uuidString.lowercased()) exists.")
        }
        var values = changes
        if case .key(_, let keyValues, _) = address {
            // The URL's key values are checked like body values (length, range) before they are set.
            for (name, value) in keyValues where values[name] == nil {
                guard let column = table.column(name), !column.isLookup else {
                    values[name] = value
                    continue
                }
                values[name] = try ColumnValues.stored(value, column: column, table: table.logicalName, settings: context.settings)
            }
        }
        try checkUnique(table, values: values, id: id)
        return (id, true, write(table.logicalName, id: id, values: values, transaction: &transaction))
    }

    func checkUnique(_ table: FakeDataverseTable, values: [String: JSONValue], id: UUID) throws {
        if let conflict = rows[table.logicalName]?.conflict(values, excluding: id) {
            let name = table.keys.first { $0.logicalName == conflict.key }?.schemaName ?? conflict.key
            throw DataverseError.duplicateKey(key: name, attributes: conflict.attributes)
        }
    }

    func etag(_ row: StoredRow) -> String { "W/\"\(row.version)\"" }

    mutating func upsert(
        _ table: FakeDataverseTable, _ address: RecordAddress, _ operation: Operation, context: RequestContext, transaction: inout Transaction
    ) throws -> FakeDataverseResponse {
        let select = try selection(operation.query["$select"], table: table)
        let body = try operation.object(table: table.logicalName)
        let (id, created, row) = try upsertRow(
            table, address: address, body: body, conditions: Conditions(operation), context: context, transaction: &transaction)
        return written(table, id: id, row: row, created: created, url: address.url(serviceRoot: context.serviceRoot, table: table, id: id),
            operation: operation, select: select, context: context)
    }

    /// `POST {entityset}`: a new row (a duplicate alternate key is 412 `0x80060892`).
    mutating func create(_ table: FakeDataverseTable, _ operation: Operation, context: RequestContext, transaction: inout Transaction) throws
        -> FakeDataverseResponse
    {
        let select = try selection(operation.query["$select"], table: table)
        let body = try operation.object(table: table.logicalName)
        let (id, _, row) = try upsertRow(table, address: nil, body: body, conditions: Conditions(nil), context: context, transaction: &transaction)
        return written(table, id: id, row: row, created: true, url: RecordAddress.id(id).url(serviceRoot: context.serviceRoot, table: table, id: id),
            operation: operation, select: select, context: context)
    }

    /// 204 with `OData-EntityId`, or with `Prefer: return=representation` 201 (created) / 200 (updated) and the row.
    func written(
        _ table: FakeDataverseTable, id: UUID, row: StoredRow, created: Bool, url: String, operation: Operation, select: [String]?, context: RequestContext
    ) -> FakeDataverseResponse {
        guard operation.preferences["return"] == "representation" else { return .noContent(headers: [("OData-EntityId", url)]) }
        var members = rendered(table, id: id, row: row, select: select)
        members.insert(("@odata.context", JSONBytes.string(entityContext(table, select: select, context: context))), at: 0)
        return .json(
            JSONBytes.object(members), status: created ? 201 : 200,
            headers: [("ETag", etag(row)), ("Preference-Applied", "return=representation"), ("OData-EntityId", url)])
    }

    /// Deletes a row, following each relationship's `CascadeConfiguration.Delete` for the rows that point at it.
    mutating func deleteRow(_ table: String, id: UUID, transaction: inout Transaction) throws {
        for relationship in relationships.values where relationship.referencedEntity == table {
            let child = relationship.referencingEntity
            let pointing = rows[child]?.rows.filter { $0.value.values[relationship.referencingAttribute] == .string(id.uuidString.lowercased()) }.map(\.key) ?? []
            guard !pointing.isEmpty else { continue }
            switch relationship.deleteBehavior {
            case "Restrict":
                throw DataverseError.invalidArgument(
                    "The record cannot be deleted because it is referenced by \(pointing.count) \(child) row(s) through \(relationship.schemaName) (Restrict).")
            case "Cascade":
                for childID in pointing where rows[child]?[childID] != nil { try deleteRow(child, id: childID, transaction: &transaction) }
            default:
                for childID in pointing {
                    guard var values = rows[child]?[childID]?.values else { continue }
                    values[relationship.referencingAttribute] = nil
                    _ = write(child, id: childID, values: values, transaction: &transaction)
                }
            }
        }
        delete(table, id: id, transaction: &transaction)
    }

    // MARK: Reading

    mutating func retrieve(_ table: FakeDataverseTable, _ address: RecordAddress, _ operation: Operation, context: RequestContext) throws
        -> FakeDataverseResponse
    {
        try rejectUnsupportedOptions(operation.query, allowed: ["$select"])
        let select = try selection(operation.query["$select"], table: table)
        guard let id = find(address, in: table), let row = rows[table.logicalName]?[id] else { throw notFound(address, table: table) }
        if let ifNoneMatch = operation.header("If-None-Match"), ifNoneMatch == etag(row) { return FakeDataverseResponse(status: 304) }
        var members = rendered(table, id: id, row: row, select: select)
        members.insert(("@odata.context", JSONBytes.string(entityContext(table, select: select, context: context))), at: 0)
        return .json(JSONBytes.object(members), headers: [("ETag", etag(row))])
    }

    /// A `$select` list, each name a readable column (lookups as `_x_value`) or the primary key.
    func selection(_ text: String?, table: FakeDataverseTable) throws -> [String]? {
        guard let text else { return nil }
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for name in names where name != table.primaryIdAttribute && !table.isReadable(name) {
            throw DataverseError.uri("Could not find a property named '\(name)' on type 'Microsoft.Dynamics.CRM.\(table.logicalName)'.")
        }
        return names
    }

    func rejectUnsupportedOptions(_ query: [String: String], allowed: Set<String>) throws {
        for name in query.keys.sorted() where name.hasPrefix("$") && !allowed.contains(name) {
            if name == "$skip" { throw DataverseError.uri("The query parameter $skip is not supported.") }
            if name == "$expand" { throw DataverseError(status: 501, code: "", message: "The fake does not model $expand on rows.") }
            throw DataverseError.uri("The query parameter '\(name)' is not supported here.")
        }
    }

    /// A row as JSON members: `@odata.etag`, the primary key, then the selected (or all) columns; lookups as `_x_value`.
    func rendered(_ table: FakeDataverseTable, id: UUID, row: StoredRow, select: [String]?) -> [(String, [UInt8])] {
        var members: [(String, [UInt8])] = [("@odata.etag", JSONBytes.string(etag(row)))]
        if let select {
            for name in select {
                if name == table.primaryIdAttribute { continue }
                let value = table.lookup(valueProperty: name).map { row.values[$0.logicalName] } ?? row.values[name]
                members.append((name, ColumnValues.rendered(value)))
            }
        } else {
            for column in table.columns where !column.isPrimaryID {
                members.append((column.isLookup ? column.valueProperty : column.logicalName, ColumnValues.rendered(row.values[column.logicalName])))
            }
        }
        members.insert((table.primaryIdAttribute, JSONBytes.string(id.uuidString.lowercased())), at: 1)
        return members
    }

    func entityContext(_ table: FakeDataverseTable, select: [String]?, context: RequestContext) -> String {
        "\(context.serviceRoot)/$metadata#\(table.entitySetName)\(select.map { "(" + $0.joined(separator: ",") + ")" } ?? "")/$entity"
    }
}
