import Foundation
import Ingest
import Logging
import NIOHTTP1
import Platform

/// Makes Rapport's tables ready in an organization, idempotently: the table, any missing column, the lookup
/// and the alternate key, then waits until the key's index is active (upserts by key need it).
///
/// Metadata reads send `Consistency: Strong`: "a request for a newly created item may return a 404 because
/// it hasn't been cached yet" (learn.microsoft.com/power-apps/developer/data-platform/webapi/
/// create-update-entity-definitions-using-web-api). Nothing of Dynamics' or Customer Insights' own tables is touched.
struct DataverseProvisioner: Sendable {
    let client: DataverseClient
    let keyActivationTimeout: Duration
    let pollInterval: Duration
    let logger: Logger

    /// What provisioning found or did for one table.
    struct Outcome: Sendable {
        /// The table's entity set, read back from the organization (never guessed).
        var entitySet: String
        var createdTable = false
        var createdColumns = 0
        var createdLookup = false
        var createdKey = false
        var keyPolls = 0
    }

    static let strong = [("Consistency", "Strong")]

    func ensure(_ table: DataverseTableDefinition) async throws -> Outcome {
        let definitionPath = "EntityDefinitions(LogicalName='\(table.logicalName)')"
        var outcome = Outcome(entitySet: "")
        var definition = try await read(definitionPath)
        if definition == nil {
            logger.info("creating dataverse table", metadata: ["table": "\(table.logicalName)", "organization": "\(client.organization.host)"])
            try await client.require(.POST, "EntityDefinitions", body: table.metadata.bytes(indent: false))
            outcome.createdTable = true
            definition = try await read(definitionPath)
        }
        guard var definition else {
            throw DataverseError(.provisioning, "the table \(table.logicalName) was created but the organization does not show it")
        }
        guard let entitySet = definition["EntitySetName"]?.stringValue, !entitySet.isEmpty else {
            throw DataverseError(.badResponse, "the definition of \(table.logicalName) has no EntitySetName")
        }
        outcome.entitySet = entitySet

        let present = Set((definition["Attributes"]?.arrayValue ?? []).compactMap { $0.objectValue?["LogicalName"]?.stringValue })
        for column in table.allColumns where !present.contains(column.logicalName) {
            try await client.require(.POST, "\(definitionPath)/Attributes", body: column.metadata().bytes(indent: false))
            outcome.createdColumns += 1
        }
        if let lookup = table.lookup, !present.contains(lookup.logicalName), let metadata = table.lookupMetadata {
            try await client.require(.POST, "RelationshipDefinitions", body: metadata.bytes(indent: false))
            outcome.createdLookup = true
        }
        if outcome.createdColumns > 0 || outcome.createdLookup, let reread = try await read(definitionPath) {
            definition = reread
        }

        let wanted = Set(table.keyColumns.map { $0.lowercased() })
        var keys = try await self.keys(definitionPath)
        if !keys.contains(where: { Set($0.attributes) == wanted }) {
            try await client.require(.POST, "\(definitionPath)/Keys", body: table.keyMetadata.bytes(indent: false))
            outcome.createdKey = true
            keys = try await self.keys(definitionPath)
        }
        // Wait for the key's index ("Pending" → "InProgress" → "Active"; "Failed" needs ReactivateEntityKey).
        let deadline = ContinuousClock.now + keyActivationTimeout
        while true {
            guard let key = keys.first(where: { Set($0.attributes) == wanted }) else {
                throw DataverseError(.provisioning, "the alternate key \(table.keySchemaName) of \(table.logicalName) was created but the organization does not show it")
            }
            switch key.status {
            case "Active", "2":
                return outcome
            case "Failed", "3":
                throw DataverseError(
                    .provisioning,
                    "the index of the alternate key \(key.schemaName) on \(table.logicalName) failed to build (duplicate rows?); fix the rows and reactivate the key (ReactivateEntityKey), or delete the table so Rapport makes it again")
            default:
                guard ContinuousClock.now < deadline else {
                    throw DataverseError(
                        .provisioning, "the alternate key \(key.schemaName) on \(table.logicalName) is still \(key.status) after \(keyActivationTimeout); the next run checks again")
                }
                try await Task.sleep(for: pollInterval)
                outcome.keyPolls += 1
                keys = try await self.keys(definitionPath)
            }
        }
    }

    /// The table's definition with its attributes, or nil when the organization has no such table (404).
    private func read(_ definitionPath: String) async throws -> JSONObject? {
        let path = "\(definitionPath)?$select=LogicalName,EntitySetName,PrimaryIdAttribute&$expand=Attributes($select=LogicalName)"
        let response = try await client.send(.GET, path, headers: Self.strong)
        if response.status == 404 { return nil }
        guard response.isSuccess else { throw client.error(response, .GET, path) }
        guard let object = (try? JSONParser.parse(response.body))?.objectValue else {
            throw DataverseError(.badResponse, "the definition of a table is not a JSON object")
        }
        return object
    }

    struct Key: Sendable {
        var schemaName: String
        var attributes: [String]
        var status: String
    }

    private func keys(_ definitionPath: String) async throws -> [Key] {
        let path = "\(definitionPath)/Keys?$select=SchemaName,KeyAttributes,EntityKeyIndexStatus"
        let response = try await client.require(.GET, path, headers: Self.strong)
        guard let values = (try? JSONParser.parse(response.body))?.objectValue?["value"]?.arrayValue else {
            throw DataverseError(.badResponse, "the keys of a table are not a JSON collection")
        }
        return values.compactMap(\.objectValue).map { key in
            let status: String
            switch key["EntityKeyIndexStatus"] {
            case .number(let value)?: status = String(Int(value))
            case let other?: status = other.stringValue ?? "unknown"
            case nil: status = "unknown"
            }
            return Key(
                schemaName: key["SchemaName"]?.stringValue ?? "", attributes: (key["KeyAttributes"]?.arrayValue ?? []).compactMap { $0.stringValue?.lowercased() },
                status: status)
        }
    }
}
