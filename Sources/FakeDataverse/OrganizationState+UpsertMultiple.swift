import FakeServiceKit
import Foundation
import Ingest

/// `POST {entityset}/Microsoft.Dynamics.CRM.UpsertMultiple` (learn.microsoft.com/power-apps/developer/data-platform/bulk-operations,
/// …/webapi/reference/upsertmultiple): every target typed, identified by `@odata.id` (or key columns in the body),
/// no two targets for one row, all or nothing on a standard table, 204 without a body.
extension OrganizationState {
    mutating func upsertMultiple(
        _ table: FakeDataverseTable, _ operation: Operation, context: inout RequestContext, transaction: inout Transaction
    ) throws -> FakeDataverseResponse {
        context.counts.upsertMultipleCalls += 1
        let body = try operation.object(table: table.logicalName)
        guard let targets = body["Targets"]?.arrayValue else {
            throw DataverseError.payload(table: table.logicalName, "The parameter 'Targets' (Collection(Microsoft.Dynamics.CRM.crmbaseentity)) is required and can't be null.")
        }
        context.operations += max(0, targets.count - 1)
        // Every target is read and identified before anything is written.
        var plans: [(body: JSONObject, address: RecordAddress?)] = []
        var seen: [String: Int] = [:]
        for (index, target) in targets.enumerated() {
            guard let object = target.objectValue else {
                throw DataverseError.payload(table: table.logicalName, "Targets[\(index)] must be an object.")
            }
            let expected = "Microsoft.Dynamics.CRM.\(table.logicalName)"
            guard let type = object["@odata.type"]?.stringValue, type == expected || type == "#" + expected else {
                throw DataverseError.payload(
                    table: table.logicalName,
                    "Targets[\(index)]: the @odata.type annotation must be set to '\(expected)' for each item of Targets (found '\(object["@odata.type"]?.stringValue ?? "none")').")
            }
            let address = try targetAddress(object, table: table, context: context)
            if let address {
                let identity = find(address, in: table).map { "row:\($0)" } ?? "key:\(identityText(address, table: table))"
                if let first = seen[identity] {
                    throw DataverseError.invalidArgument(
                        "Targets[\(first)] and Targets[\(index)] identify the same \(table.logicalName) record (\(address.description)); each record can appear only once in UpsertMultiple.")
                }
                seen[identity] = index
            }
            plans.append((object, address))
        }
        for (index, plan) in plans.enumerated() {
            if let failure = context.failOperation, failure.operation == index + 1 {
                context.failOperation = nil
                throw DataverseError(status: failure.status, code: failure.code, message: failure.message)
            }
            _ = try upsertRow(table, address: plan.address, body: plan.body, conditions: Conditions(nil), context: context, transaction: &transaction)
        }
        context.counts.upsertMultipleTargets += targets.count
        return .noContent()
    }

    /// A target's row: `@odata.id` as a relative URL `entityset(key…)`, else the primary key or an active key's columns in the body.
    func targetAddress(_ target: JSONObject, table: FakeDataverseTable, context: RequestContext) throws -> RecordAddress? {
        if let reference = target["@odata.id"]?.stringValue {
            var path = reference
            if path.hasPrefix(context.serviceRoot + "/") { path.removeFirst(context.serviceRoot.count + 1) }
            if path.hasPrefix("/") { path.removeFirst() }
            let (set, predicate) = ODataPath.split(ODataPath.decode(path))
            guard set == table.entitySetName, let predicate else {
                throw DataverseError.payload(
                    table: table.logicalName, "The @odata.id '\(reference)' must be a relative URL of a \(table.entitySetName) record, such as \(table.entitySetName)(key='value').")
            }
            return try RecordAddress.parse(predicate, table: table)
        }
        if let id = target[table.primaryIdAttribute]?.stringValue.flatMap(UUID.init(uuidString:)) { return .id(id) }
        // The body's member for a key column: the column, or its lookup's `@odata.bind`.
        func member(_ column: FakeDataverseColumn) -> String {
            column.isLookup ? "\(column.navigationProperty ?? column.logicalName)@odata.bind" : column.logicalName
        }
        for key in table.keys where key.status == .active {
            let columns = key.attributes.compactMap { table.column($0) }
            guard columns.count == key.attributes.count, columns.allSatisfy({ target[member($0)] != nil }) else { continue }
            var values: [String: JSONValue] = [:]
            var parts: [(name: String?, literal: ODataLiteral)] = []
            for column in columns {
                let value: JSONValue
                if case .lookup(let referenced) = column.type {
                    value = try bound(target[member(column)] ?? .null, target: referenced, table: table, context: context)
                } else {
                    value = try ColumnValues.stored(target[column.logicalName] ?? .null, column: column, table: table.logicalName, settings: context.settings)
                }
                values[column.logicalName] = value
                switch (column.type, value) {
                case (.string, .string(let text)): parts.append((column.logicalName, .quoted(text)))
                case (_, .string(let text)): parts.append((column.isLookup ? column.valueProperty : column.logicalName, .bare(text)))
                case (_, .number(let number)): parts.append((column.logicalName, .bare(JSONBytes.numberText(number))))
                default: parts.append((column.logicalName, .bare("null")))
                }
            }
            return .key(key, values: values, predicate: KeyPredicate(parts: parts))
        }
        return nil
    }

    /// The key text of a target whose row does not exist yet, for finding duplicates among targets.
    func identityText(_ address: RecordAddress, table: FakeDataverseTable) -> String {
        switch address {
        case .id(let id): return id.uuidString.lowercased()
        case .key(let key, let values, _):
            return key.logicalName + ":" + (rows[table.logicalName]?.indexText(key.attributes, values) ?? address.description)
        }
    }
}
