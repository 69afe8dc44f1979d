import Engagement
import Foundation
import Postgres

/// What an environment last wrote to a Dataverse organization, beside the published rows it came from.
///
/// The export pages through the published run's rows together with the hash
/// each row's record had when it was last accepted (`page`), records the hashes
/// of what Dataverse accepted (`recordExported`), and finds the rows that are
/// gone from the result (`gone`), to delete them there and forget them here.
public struct DataverseExportStore: Sendable {
    public let slice: EnvironmentDatabase
    var environment: UUID { slice.environment }

    public init(_ slice: EnvironmentDatabase) {
        self.slice = slice
    }

    /// A row's identity in the organization: its alternate key.
    public struct RowKey: Sendable, Hashable, Comparable {
        public var level: String
        /// `YYYY-MM-DD`.
        public var periodStart: String
        public var accountID: String

        public init(level: String, periodStart: String, accountID: String) {
            self.level = level
            self.periodStart = periodStart
            self.accountID = accountID
        }

        public static func < (a: RowKey, b: RowKey) -> Bool {
            (a.level, a.periodStart, a.accountID) < (b.level, b.periodStart, b.accountID)
        }
    }

    /// A published row and the hash of its record as last exported (nil: never exported to this organization).
    public struct Candidate: Sendable {
        public var row: EnrichedRow
        public var exportedHash: String?

        public var key: RowKey { RowKey(level: row.aggregationLevel, periodStart: row.aggregationStartDate, accountID: row.accountID) }
    }

    /// The run readers see now; nil before the first publish.
    public func currentRun() async throws -> UUID? {
        try await slice.transaction { connection in
            try await connection.query("SELECT run_id FROM current_result WHERE environment_id = \(environment)").first(decoding: UUID.self)
        }
    }

    /// The periods of `run` at `levels` (level and `YYYY-MM-DD` start), in key order: an export pages through one at a time.
    public func periods(run: UUID, levels: [String]) async throws -> [(level: String, periodStart: String)] {
        try await slice.transaction { connection in
            try await connection.query(
                """
                SELECT DISTINCT level, to_char(period_start, 'YYYY-MM-DD') AS period_start, period_start AS start FROM account_engagement
                WHERE tenant_id = \(slice.tenant) AND environment_id = \(environment) AND run_id = \(run) AND level = ANY(\(levels))
                ORDER BY level, start
                """
            ).map { (try $0.decode(column: "level"), try $0.decode(column: "period_start")) }
        }
    }

    /// Up to `limit` rows of `run` in one period, in account order after `afterAccount`, each with its last exported hash.
    ///
    /// Paged by equality on the level and period and a range on the account: a plain range of the primary key.
    /// (A row comparison `(level, period_start, account_id) > (…)` was planned as a filter from the run's first
    /// row, so every page read all the pages before it.)
    public func page(
        run: UUID, organization: UUID, level: String, periodStart: String, afterAccount: String?, limit: Int
    ) async throws -> [Candidate] {
        try await slice.transaction { connection in
            var filter: PostgresQuery = """
                tenant_id = \(slice.tenant) AND environment_id = \(environment) AND run_id = \(run)
                AND level = \(level) AND period_start = \(periodStart)::date
                """
            if let afterAccount { filter.append(" AND account_id > \(afterAccount)") }
            let rows = try await connection.query(
                """
                SELECT \(EnrichedRow.columns),
                    (SELECT e.record_hash FROM dataverse_export_row e
                     WHERE e.tenant_id = account_engagement.tenant_id AND e.environment_id = account_engagement.environment_id
                       AND e.organization_id = \(organization)
                       AND e.level = account_engagement.level AND e.period_start = account_engagement.period_start
                       AND e.account_id = account_engagement.account_id) AS record_hash
                FROM account_engagement
                WHERE \(filter)
                ORDER BY account_id LIMIT \(limit)
                """)
            return try rows.map { Candidate(row: try EnrichedRow(row: $0), exportedHash: try $0.decode(column: "record_hash")) }
        }
    }

    /// Records that the organization accepted these records (key and hash), as of `run`.
    public func recordExported(organization: UUID, run: UUID, _ entries: [(key: RowKey, hash: String)]) async throws {
        guard !entries.isEmpty else { return }
        try await slice.transaction { connection in
            try await connection.execute(
                """
                INSERT INTO dataverse_export_row (tenant_id, environment_id, organization_id, level, period_start, account_id, record_hash, run_id)
                SELECT \(slice.tenant), \(environment), \(organization), k.level, k.period_start::date, k.account_id, k.record_hash, \(run)
                FROM unnest(\(entries.map(\.key.level)), \(entries.map(\.key.periodStart)), \(entries.map(\.key.accountID)), \(entries.map(\.hash)))
                    AS k (level, period_start, account_id, record_hash)
                ON CONFLICT (tenant_id, environment_id, organization_id, level, period_start, account_id)
                DO UPDATE SET record_hash = excluded.record_hash, run_id = excluded.run_id
                """)
        }
    }

    /// Up to `limit` rows exported to the organization that `run` no longer has at `levels` (or whose level is no
    /// longer exported), in key order after `after`.
    ///
    /// Two plain anti-joins in key order rather than one `NOT (… AND EXISTS …)`: PostgreSQL turns that form into a
    /// hashed subplan, and into one scan of the result per exported row once the hash outgrows `work_mem`.
    public func gone(organization: UUID, run: UUID, levels: [String], after: RowKey? = nil, limit: Int) async throws -> [RowKey] {
        try await slice.transaction { connection in
            var scope: PostgresQuery = " e.tenant_id = \(slice.tenant) AND e.environment_id = \(environment) AND e.organization_id = \(organization)"
            if let after {
                scope.append(" AND (e.level, e.period_start, e.account_id) > (\(after.level), \(after.periodStart)::date, \(after.accountID))")
            }
            var query: PostgresQuery = """
                SELECT level, to_char(period_start, 'YYYY-MM-DD') AS period_start, account_id FROM (
                    (SELECT e.level, e.period_start, e.account_id FROM dataverse_export_row e
                     WHERE
                """
            query.append(scope)
            query.append(
                """
                 AND e.level <> ALL(\(levels))
                     ORDER BY e.level, e.period_start, e.account_id LIMIT \(limit))
                    UNION ALL
                    (SELECT e.level, e.period_start, e.account_id FROM dataverse_export_row e
                     WHERE
                """)
            query.append(scope)
            query.append(
                """
                 AND e.level = ANY(\(levels)) AND NOT EXISTS (
                         SELECT 1 FROM account_engagement a
                         WHERE a.tenant_id = e.tenant_id AND a.environment_id = e.environment_id AND a.run_id = \(run)
                           AND a.level = e.level AND a.period_start = e.period_start AND a.account_id = e.account_id)
                     ORDER BY e.level, e.period_start, e.account_id LIMIT \(limit))
                ) gone
                ORDER BY level, period_start, account_id LIMIT \(limit)
                """)
            return try await connection.query(query).map {
                RowKey(level: try $0.decode(column: "level"), periodStart: try $0.decode(column: "period_start"), accountID: try $0.decode(column: "account_id"))
            }
        }
    }

    /// Refreshes the planner's statistics of the results and of the export record when this environment's rows
    /// alone outnumber what the statistics say the whole table holds. An export runs seconds after a publish,
    /// before autovacuum (or even the cumulative statistics) have seen the new rows; with statistics that call a
    /// table of a million rows empty, PostgreSQL pages through the result by sorting all of it for every page, and
    /// plans the gone-rows anti-join as one scan of the result per exported row (26,000 rows: 50 s; 1.3 million: days).
    public func refreshStatistics(organization: UUID, run: UUID) async throws {
        try await slice.transaction { connection in
            let results = try await connection.query(
                "SELECT count(*) FROM account_engagement WHERE tenant_id = \(slice.tenant) AND environment_id = \(environment) AND run_id = \(run)"
            )[0].decode(Int.self, at: 0)
            try await connection.analyzeAsOwner("account_engagement", unlessEstimatedAtLeast: results)
            let exported = try await connection.query(
                """
                SELECT count(*) FROM dataverse_export_row
                WHERE tenant_id = \(slice.tenant) AND environment_id = \(environment) AND organization_id = \(organization)
                """
            )[0].decode(Int.self, at: 0)
            try await connection.analyzeAsOwner("dataverse_export_row", unlessEstimatedAtLeast: exported)
        }
    }

    /// Forgets rows deleted from the organization.
    public func forget(organization: UUID, _ keys: [RowKey]) async throws {
        guard !keys.isEmpty else { return }
        try await slice.transaction { connection in
            try await connection.execute(
                """
                DELETE FROM dataverse_export_row e
                USING unnest(\(keys.map(\.level)), \(keys.map(\.periodStart)), \(keys.map(\.accountID))) AS k (level, period_start, account_id)
                WHERE e.environment_id = \(environment) AND e.organization_id = \(organization)
                  AND e.level = k.level AND e.period_start = k.period_start::date AND e.account_id = k.account_id
                """)
        }
    }

    /// Forgets everything recorded for the organization, so the next export sends every row again
    /// (an organization restored from a backup, copied, or reset). Returns how many rows were forgotten.
    @discardableResult
    public func forgetAll(organization: UUID) async throws -> Int {
        try await slice.transaction { connection in
            try await connection.execute(
                "DELETE FROM dataverse_export_row WHERE environment_id = \(environment) AND organization_id = \(organization)")
        }
    }

    /// How many rows the organization holds from this environment, as far as Rapport knows.
    public func exportedCount(organization: UUID) async throws -> Int {
        try await slice.transaction { connection in
            try await connection.query(
                "SELECT count(*) FROM dataverse_export_row WHERE environment_id = \(environment) AND organization_id = \(organization)"
            )[0].decode(Int.self, at: 0)
        }
    }
}
