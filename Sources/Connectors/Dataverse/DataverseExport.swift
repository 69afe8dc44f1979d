import Foundation
import Ingest
import Logging
import NIOHTTP1
import Platform

/// One export of an environment's published result to its Dataverse organization.
///
/// Pages through the published rows at the configured levels beside the hash
/// each row's record had when Dataverse last accepted it; sends only records
/// whose hash changed, `batchSize` at a time through `UpsertMultiple` (all or
/// nothing per request), at most `maximumConcurrency` requests at once; records
/// each accepted batch's hashes at once, so an interrupted export resumes where
/// it stopped; then deletes the rows that are gone through `$batch`, and writes
/// the office-user table.
struct DataverseExport: Sendable {
    let client: DataverseClient
    let store: DataverseExportStore
    let organizationID: UUID
    let prefix: String
    let batchSize: Int
    let logger: Logger

    /// What the export did.
    struct Report: Sendable, Equatable {
        var rowsSent = 0
        var rowsUnchanged = 0
        var rowsDeleted = 0
        var officeUsers = 0
        var officeUsersDeleted = 0
        var batches = 0

        func figures(_ statistics: DataverseStatistics.Figures) -> [String: Int] {
            [
                "rows_sent": rowsSent, "rows_unchanged": rowsUnchanged, "rows_deleted": rowsDeleted, "office_users": officeUsers,
                "office_users_deleted": officeUsersDeleted, "requests": statistics.requests, "throttled_waits": statistics.throttledWaits,
                "throttled_seconds": statistics.throttledMilliseconds / 1000, "transient_retries": statistics.transientRetries,
            ]
        }
    }

    func run(
        run: UUID, levels: [String], engagement: DataverseTableDefinition, engagementSet: String, officeUser: DataverseTableDefinition,
        officeUserSet: String, directoryIDs: [String], progress: @escaping @Sendable (Report) async -> Void
    ) async throws -> Report {
        let tally = ExportTally()
        let accounts = AccountDirectory(client: client)
        let layout = DataverseRecord.Layout(table: engagement, entitySet: engagementSet)
        let concurrency = max(1, min(52, client.settings.maximumConcurrency))
        try await store.refreshStatistics(organization: organizationID, run: run)
        try await withThrowingTaskGroup(of: Void.self) { group in
            var inFlight = 0
            var pending: [DataverseRecord] = []

            func submit(_ batch: [DataverseRecord]) async throws {
                if inFlight >= concurrency {
                    try await group.next()
                    inFlight -= 1
                }
                inFlight += 1
                group.addTask {
                    try await upsert(batch, set: engagementSet)
                    try await store.recordExported(organization: organizationID, run: run, batch.map { ($0.key, $0.hash) })
                    await progress(tally.add { $0.rowsSent += batch.count; $0.batches += 1 })
                }
            }

            for period in try await store.periods(run: run, levels: levels) {
                var afterAccount: String?
                while true {
                    let page = try await store.page(
                        run: run, organization: organizationID, level: period.level, periodStart: period.periodStart, afterAccount: afterAccount,
                        limit: max(batchSize, 1000))
                    guard let last = page.last else { break }
                    afterAccount = last.row.accountID
                    var unchanged = 0
                    for candidate in page {
                        let account = try await accounts.account(named: candidate.row.accountID)
                        let record = DataverseRecord(candidate.row, layout: layout, account: account)
                        if record.hash == candidate.exportedHash {
                            unchanged += 1
                            continue
                        }
                        pending.append(record)
                        if pending.count == batchSize {
                            try await submit(pending)
                            pending.removeAll(keepingCapacity: true)
                        }
                    }
                    if unchanged > 0 { _ = tally.add { $0.rowsUnchanged += unchanged } }
                }
            }
            if !pending.isEmpty { try await submit(pending) }
            try await group.waitForAll()
        }

        // Rows that are gone from the result (an account removed, a level no longer exported).
        try await store.refreshStatistics(organization: organizationID, run: run)
        var goneAfter: DataverseExportStore.RowKey?
        while true {
            let gone = try await store.gone(
                organization: organizationID, run: run, levels: levels, after: goneAfter, limit: min(batchSize, DataverseBatch.maximumOperations))
            guard let last = gone.last else { break }
            goneAfter = last
            let references = gone.map { key in
                let columns = engagement.keyColumns.map { $0.lowercased() }
                return "\(engagementSet)(\(columns[0])=\(DataverseRecord.quoted(DataverseRecord.accountKey(key.accountID))),\(columns[1])=\(DataverseRecord.quoted(key.level)),\(columns[2])=\(key.periodStart))"
            }
            try await delete(references)
            try await store.forget(organization: organizationID, gone)
            await progress(tally.add { $0.rowsDeleted += gone.count })
        }

        try await writeOfficeUsers(directoryIDs, table: officeUser, set: officeUserSet, tally: tally)
        let report = tally.add { _ in }
        await progress(report)
        return report
    }

    /// `POST {set}/Microsoft.Dynamics.CRM.UpsertMultiple` with the records as `Targets`.
    private func upsert(_ records: [DataverseRecord], set: String) async throws {
        var body = Array(#"{"Targets":["#.utf8)
        for (index, record) in records.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body += record.body
        }
        body += Array("]}".utf8)
        try await client.require(.POST, "\(set)/Microsoft.Dynamics.CRM.UpsertMultiple", body: body)
    }

    /// Deletes each reference in one `$batch`; a record already gone (404) counts as deleted.
    private func delete(_ references: [String]) async throws {
        let boundary = "batch_\(UUID().uuidString.lowercased())"
        let response = try await client.require(
            .POST, "$batch", body: DataverseBatch.deletes(references, boundary: boundary),
            contentType: "multipart/mixed; boundary=\(boundary)", headers: [("Prefer", "odata.continue-on-error")])
        let statuses = DataverseBatch.statuses(response.body)
        guard statuses.count == references.count else {
            throw DataverseError(.badResponse, "a $batch of \(references.count) deletes was answered with \(statuses.count) parts")
        }
        if let failed = statuses.firstIndex(where: { !($0 == 204 || $0 == 200 || $0 == 404) }) {
            let detail = DataverseBatch.firstError(response.body)
            throw DataverseError(
                status: statuses[failed], body: detail?.body ?? [], request: "DELETE \(DataverseClient.described(references[failed]))",
                clientID: client.clientID)
        }
    }

    /// Upserts the selected mailboxes' directory ids and deletes the ones no longer selected.
    private func writeOfficeUsers(_ directoryIDs: [String], table: DataverseTableDefinition, set: String, tally: ExportTally) async throws {
        let keyColumn = table.keyColumns[0].lowercased()
        let current = Set(directoryIDs.map { $0.lowercased() })
        var stored: Set<String> = []
        var path: String? = "\(set)?$select=\(keyColumn)"
        while let next = path {
            let response = try await client.require(.GET, next, headers: [("Prefer", "odata.maxpagesize=5000")])
            let object = (try? JSONParser.parse(response.body))?.objectValue
            for value in object?["value"]?.arrayValue ?? [] {
                if let id = value.objectValue?[keyColumn]?.stringValue { stored.insert(id.lowercased()) }
            }
            path = try object?["@odata.nextLink"]?.stringValue.map(relative)
        }
        let added = current.subtracting(stored).sorted()
        for chunk in added.chunked(batchSize) {
            var body = Array(#"{"Targets":["#.utf8)
            for (index, id) in chunk.enumerated() {
                if index > 0 { body.append(UInt8(ascii: ",")) }
                body += JSONText.object([
                    ("@odata.type", .string("Microsoft.Dynamics.CRM.\(table.logicalName)")),
                    ("@odata.id", .string("\(set)(\(keyColumn)=\(DataverseRecord.quoted(id)))")),
                    (table.primaryName.logicalName, .string(id)),
                ]).bytes(indent: false)
            }
            body += Array("]}".utf8)
            try await client.require(.POST, "\(set)/Microsoft.Dynamics.CRM.UpsertMultiple", body: body)
        }
        let removed = stored.subtracting(current).sorted()
        for chunk in removed.chunked(min(batchSize, DataverseBatch.maximumOperations)) {
            try await delete(chunk.map { "\(set)(\(keyColumn)=\(DataverseRecord.quoted($0)))" })
        }
        _ = tally.add {
            $0.officeUsers = current.count
            $0.officeUsersDeleted = removed.count
        }
    }

    /// A nextLink made relative to the Web API base.
    func relative(_ link: String) throws -> String {
        let base = client.apiBase + "/"
        guard link.hasPrefix(base) else { throw DataverseError(.badResponse, "a nextLink points outside the organization: \(link)") }
        return String(link.dropFirst(base.count))
    }
}

extension Array {
    /// The elements in consecutive chunks of at most `size`.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: Swift.max(1, size)).map { self[$0..<Swift.min($0 + Swift.max(1, size), count)] }
    }
}
