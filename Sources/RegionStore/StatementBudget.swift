/// How long one statement may run in a region database, set for the work at hand.
///
/// The HTTP layer sets it per kind of request (API reads, pages, bulk
/// uploads and exports) and the worker for runs; `RegionDatabase.withTenant`
/// applies it as the transaction's `statement_timeout`, so a query whose
/// client gave up (or that simply runs too long) is stopped by the server.
public enum StatementBudget {
    /// The current limit; nil leaves the server's own setting.
    @TaskLocal public static var current: Duration?

    /// Whole milliseconds, at least 1 (PostgreSQL reads 0 as "no limit").
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}
