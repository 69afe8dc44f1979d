import Postgres

extension PostgresConnection {
    /// COPYs rows into a row-level-secured table through a temporary staging table.
    ///
    /// PostgreSQL refuses COPY FROM into a table with row-level security, so rows
    /// go into a temporary copy of the table (dropped at commit) and then move with
    /// one `INSERT … SELECT`, where the policies' WITH CHECK still applies. Must run
    /// inside a transaction. Returns the rows inserted.
    @discardableResult
    public func copyThroughStaging(
        isolation: isolated (any Actor)? = #isolation,
        into table: String, columns: [String],
        _ body: (PostgresCopyWriter) async throws -> Void
    ) async throws -> Int {
        let staging = "staging_\(table)"
        var columnList: PostgresQuery = ""
        for (index, column) in columns.enumerated() {
            if index > 0 { columnList.append(", ") }
            columnList.append("\(identifier: column)")
        }
        try await execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS \(identifier: staging) (LIKE \(identifier: table) INCLUDING DEFAULTS) ON COMMIT DROP")
        try await execute("TRUNCATE \(identifier: staging)")
        try await copyFrom("COPY \(identifier: staging) (\(columnList)) FROM STDIN", body)
        let inserted = try await execute("INSERT INTO \(identifier: table) (\(columnList)) SELECT \(columnList) FROM \(identifier: staging)")
        try await analyzeAsOwner(table, unlessEstimatedAtLeast: inserted)
        return inserted
    }

    /// Refreshes the planner's statistics of a table just filled in this transaction.
    ///
    /// Without them the planner takes a freshly loaded table (every row of one
    /// tenant and environment) for a tiny one and picks an index on
    /// (tenant, environment, account) for lookups by contact id: foreign-key
    /// checks and joins then scan half the table per row, quadratic in the
    /// number of contacts (18 s for 12,500 contacts; hours for 250,000).
    /// ANALYZE needs the table's owner, so the session's own role is used for
    /// it (it reads no tenant's rows back; statistics are not per tenant); a
    /// session user that does not own the table gets a warning, not an error.
    /// It runs only while the planner's estimate of the table's rows is below
    /// `rows` (a first load; never analyzed is -1): ANALYZE holds a lock that
    /// other ANALYZEs of the table wait for until this transaction ends, so
    /// once statistics exist, concurrent loads of other environments do not
    /// queue behind each other.
    public func analyzeAsOwner(
        isolation: isolated (any Actor)? = #isolation, _ table: String, unlessEstimatedAtLeast rows: Int
    ) async throws {
        let estimate = try await query("SELECT reltuples::float8 FROM pg_class WHERE oid = \(table)::regclass")[0]
            .decode(Double.self, at: 0)
        guard estimate < Double(rows) else { return }
        let role = try await query("SELECT current_setting('role')")[0].decode(String.self, at: 0)
        try await query("SELECT set_config('role', 'none', true)")
        try await execute("ANALYZE \(identifier: table)")
        try await query("SELECT set_config('role', \(role), true)")
    }
}
