import Engagement
import Foundation
import Postgres

/// Reads an environment's current (published) result: summary, history, rows, exports, customer card.
///
/// Every read names the run it read, so a client paging through rows can pin
/// the run (`runID`) and never mix two runs' pages.
public struct ResultsStore: Sendable {
    /// The environment's slice of its region database.
    public let slice: EnvironmentDatabase
    var database: RegionDatabase { slice.database }
    var tenant: UUID { slice.tenant }
    var environment: UUID { slice.environment }

    public init(_ slice: EnvironmentDatabase) {
        self.slice = slice
    }

    /// The current run's summary, or nil before the first publish.
    public func summary() async throws -> RunSummary? {
        try await database.withTenant(tenant, snapshot: true) { connection in
            let rows = try await connection.query(
                """
                SELECT r.summary, c.published_at FROM current_result c
                JOIN enrichment_run r USING (tenant_id, environment_id, run_id)
                WHERE c.environment_id = \(environment)
                """)
            guard let row = rows.first else { return nil }
            var summary = try row.decode(PostgresJSON<RunSummary>.self, at: 0).value
            summary.publishedAt = try row.decode(Date.self, at: 1)
            return summary
        }
    }

    /// Every published run's summary, oldest first: one point per run.
    public func history() async throws -> [RunSummary] {
        try await database.withTenant(tenant, snapshot: true) { connection in
            try await connection.query(
                """
                SELECT summary, published_at FROM enrichment_run
                WHERE environment_id = \(environment) AND status IN ('published', 'superseded') AND summary IS NOT NULL
                ORDER BY as_of, published_at
                """
            ).map { row in
                var summary = try row.decode(PostgresJSON<RunSummary>.self, at: 0).value
                summary.publishedAt = try row.decode(Date?.self, at: 1)
                return summary
            }
        }
    }

    /// A filter and order over the enriched rows.
    public struct Query: Sendable {
        public var level: String?
        /// `YYYY-MM-DD`: the period's first day.
        public var period: String?
        public var accountID: String?
        public var sort: EnrichedRow.CodingKeys = .engagementScore
        public var descending = true
        public var limit = 50
        public var offset = 0
        /// Pins the run; nil reads the current one.
        public var runID: UUID?

        public init() {}
    }

    public struct Page: Sendable, Codable {
        public var runID: UUID
        public var total: Int
        public var rows: [EnrichedRow]
    }

    /// The run a read uses: the pinned one if it is still kept, else the current one.
    func runID(_ connection: PostgresConnection, environment: UUID, pinned: UUID?) async throws -> UUID? {
        if let pinned {
            let kept = try await connection.query(
                "SELECT 1 FROM enrichment_run WHERE environment_id = \(environment) AND run_id = \(pinned) AND status = 'published'")
            guard !kept.isEmpty else { throw ServiceError(.notFound, "run \(pinned) is not the current result any more", field: "run") }
            return pinned
        }
        return try await connection.query("SELECT run_id FROM current_result WHERE environment_id = \(environment)")
            .first(decoding: UUID.self)
    }

    public func rows(_ query: Query) async throws -> Page? {
        try await database.withTenant(tenant, snapshot: true) { connection in
            guard let run = try await runID(connection, environment: environment, pinned: query.runID) else { return nil }
            let filter = Self.filter(environment: environment, run: run, query)
            // Filtered by level only, the total is the run's own count of that level's rows.
            var total: Int?
            if query.period == nil, query.accountID == nil {
                let summary = try await connection.query(
                    "SELECT summary FROM enrichment_run WHERE environment_id = \(environment) AND run_id = \(run)"
                ).first(decoding: PostgresJSON<RunSummary>?.self)
                if let counts = summary??.value.rowsPerLevel {
                    total = query.level.map { counts[$0] ?? 0 } ?? counts.values.reduce(0, +)
                }
            }
            if total == nil {
                total = try await connection.query("SELECT count(*) FROM account_engagement WHERE \(filter)")[0].decode(Int.self, at: 0)
            }
            // Nulls (no email yet…) sort last either way; the score column is never null, so its
            // plain order lets the (level, score, account) index serve the preview's default order.
            let nullable = query.sort.isOptional
            let direction = PostgresQuery(unsafeSQL: (query.descending ? "DESC" : "ASC") + (nullable ? (query.descending ? " NULLS LAST" : " NULLS FIRST") : ""))
            let rows = try await connection.query(
                """
                SELECT \(EnrichedRow.columns) FROM account_engagement WHERE \(filter)
                ORDER BY \(PostgresQuery(unsafeSQL: Self.orderColumn(query.sort))) \(direction), account_id, level, period_start
                LIMIT \(query.limit) OFFSET \(query.offset)
                """
            ).map(EnrichedRow.init(row:))
            return Page(runID: run, total: total ?? rows.count, rows: rows)
        }
    }

    /// Streams every row of the current run in key order, in chunks, to `body`, from one snapshot.
    public func export(
        level: String?, chunk: Int = 5_000,
        isolation: isolated (any Actor)? = #isolation,
        _ body: ([EnrichedRow]) async throws -> Void
    ) async throws -> UUID? {
        try await database.withTenant(tenant, snapshot: true) { connection in
            guard let run = try await runID(connection, environment: environment, pinned: nil) else { return nil }
            var after: (String, String, String)?
            while true {
                var query = Query()
                query.level = level
                var filter = Self.filter(environment: environment, run: run, query)
                if let after {
                    filter.append(" AND (level, period_start, account_id) > (\(after.0), \(after.1)::date, \(after.2))")
                }
                let rows = try await connection.query(
                    "SELECT \(EnrichedRow.columns) FROM account_engagement WHERE \(filter) ORDER BY level, period_start, account_id LIMIT \(chunk)"
                ).map(EnrichedRow.init(row:))
                if rows.isEmpty { break }
                try await body(rows)
                let last = rows[rows.count - 1]
                after = (last.aggregationLevel, last.aggregationStartDate, last.accountID)
                if rows.count < chunk { break }
            }
            return run
        }
    }

    /// Everything the customer card draws for one account.
    public struct CustomerCard: Sendable, Codable {
        public var runID: UUID
        public var accountID: String
        public var name: String
        public var year: EnrichedRow
        public var rawScore: Double
        public var breakdown: [AccountScore.Component]
        public var totalEmails: Int
        public var totalMeetings: Int
        public var monthly: [EnrichedRow]
    }

    public func customerCard(accountID: String) async throws -> CustomerCard? {
        try await database.withTenant(tenant, snapshot: true) { connection in
            guard let run = try await runID(connection, environment: environment, pinned: nil) else { return nil }
            let yearRows = try await connection.query(
                """
                SELECT \(EnrichedRow.columns), raw_score, components FROM account_engagement
                WHERE environment_id = \(environment) AND run_id = \(run) AND level = 'Year' AND account_id = \(accountID)
                """)
            guard let yearRow = yearRows.first else { return nil }
            let year = try EnrichedRow(row: yearRow)
            let raw = try yearRow.decode(Double.self, column: "raw_score")
            let components = try yearRow.decode(PostgresJSON<[String: ComponentValue]>?.self, column: "components")?.value ?? [:]
            let breakdown = components.sorted { $0.value.contribution > $1.value.contribution || ($0.value.contribution == $1.value.contribution && $0.key < $1.key) }
                .map { AccountScore.Component(name: $0.key, input: $0.value.input, contribution: $0.value.contribution) }
            let monthly = try await connection.query(
                """
                SELECT \(EnrichedRow.columns) FROM account_engagement
                WHERE environment_id = \(environment) AND run_id = \(run) AND level = 'Month' AND account_id = \(accountID)
                ORDER BY period_start
                """
            ).map(EnrichedRow.init(row:))
            let name = try await connection.query(
                "SELECT name FROM business_account WHERE environment_id = \(environment) AND account_id = \(accountID)"
            ).first(decoding: String.self) ?? accountID
            return CustomerCard(
                runID: run, accountID: accountID, name: name, year: year, rawScore: raw, breakdown: breakdown,
                totalEmails: year.emailsToAccount + year.emailsFromAccount,
                totalMeetings: year.meetingsToAccount + year.meetingsFromAccount, monthly: monthly)
        }
    }

    struct ComponentValue: Codable, Sendable {
        var input: Double
        var contribution: Double
    }

    /// The table column to order by (not the text alias the select list gives dates); names from the enum only.
    static func orderColumn(_ key: EnrichedRow.CodingKeys) -> String {
        switch key {
        case .aggregationStartDate: "account_engagement.period_start"
        case .engagementStartDate: "account_engagement.engagement_start_date"
        default: key.sqlColumn
        }
    }

    static func filter(environment: UUID, run: UUID, _ query: Query) -> PostgresQuery {
        var filter: PostgresQuery = "environment_id = \(environment) AND run_id = \(run)"
        if let level = query.level { filter.append(" AND level = \(level)") }
        if let period = query.period { filter.append(" AND period_start = \(period)::date") }
        if let account = query.accountID { filter.append(" AND account_id = \(account)") }
        return filter
    }
}
