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
        return try await execute("INSERT INTO \(identifier: table) (\(columnList)) SELECT \(columnList) FROM \(identifier: staging)")
    }
}
