extension PostgresConnection {
    /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it throws.
    ///
    /// Nested use is an error (`.nestedTransaction`), not a savepoint: a caller that
    /// needs an inner unit of work should structure it as one transaction. The
    /// ROLLBACK is sent even when the task was cancelled. A COMMIT that the server
    /// turns into a ROLLBACK (the transaction had failed) throws.
    public func withTransaction<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        guard !isInTransaction else {
            throw PostgresError(
                code: .nestedTransaction,
                message: "withTransaction was called inside an open transaction; nesting is not supported")
        }
        try await run("BEGIN", cancellable: false)
        let result: Result
        do {
            result = try await body(self)
        } catch {
            if isInTransaction {
                _ = try? await run("ROLLBACK", cancellable: false)
            }
            throw error
        }
        let commit = try await run("COMMIT", cancellable: false)
        guard commit.commandTag == "COMMIT" else {
            throw PostgresError(
                code: .server, message: "the transaction had failed and was rolled back", sqlState: "25P02")
        }
        return result
    }
}
