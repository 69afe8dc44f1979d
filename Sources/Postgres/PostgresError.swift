/// An error from the libpq layer: what went wrong, the server's SQLSTATE and message.
///
/// Shaped like postgres-nio's `PSQLError`: a stable `code` to switch on, plus the
/// server's fields. It never carries bind values: the server's `DETAIL` (which can
/// echo row values) is not kept, and any bind value quoted in the message is
/// replaced by `‹redacted›`.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure, independent of the server's wording.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let name: String
        public var description: String { name }

        /// The connection could not be opened.
        public static let connectionFailed = Code(name: "connectionFailed")
        /// The connection broke or was closed while in use.
        public static let connectionClosed = Code(name: "connectionClosed")
        /// The server rejected the statement; see `sqlState`.
        public static let server = Code(name: "server")
        /// A column could not be decoded into the requested Swift type.
        public static let decoding = Code(name: "decoding")
        /// `withTransaction` was called inside another transaction.
        public static let nestedTransaction = Code(name: "nestedTransaction")
        /// A COPY FROM STDIN failed on the client side.
        public static let copyFailed = Code(name: "copyFailed")
        /// No pooled connection became free within the pool's acquire timeout.
        public static let poolTimeout = Code(name: "poolTimeout")
        /// The pool was shut down.
        public static let poolClosed = Code(name: "poolClosed")
        /// A migration file is malformed or was edited after it was applied.
        public static let migration = Code(name: "migration")
        /// The self-started local cluster could not be managed.
        public static let localCluster = Code(name: "localCluster")
        /// libpq answered in a way the wrapper did not expect.
        public static let unexpectedResult = Code(name: "unexpectedResult")
        /// A text bind holds a NUL character, which PostgreSQL text cannot hold (libpq would cut it there).
        public static let invalidBind = Code(name: "invalidBind")
    }

    public var code: Code
    /// The five-character SQLSTATE, when the server sent one.
    public var sqlState: String?
    /// The server's (or libpq's) primary message, with bind values redacted.
    public var message: String
    public var hint: String?
    public var constraintName: String?
    public var tableName: String?
    public var columnName: String?

    public init(
        code: Code, message: String, sqlState: String? = nil, hint: String? = nil,
        constraintName: String? = nil, tableName: String? = nil, columnName: String? = nil
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.hint = hint
        self.constraintName = constraintName
        self.tableName = tableName
        self.columnName = columnName
    }

    public var description: String {
        var text = "PostgresError.\(code)"
        if let sqlState { text += " [\(sqlState)]" }
        text += ": \(message)"
        if let constraintName { text += " (constraint \(constraintName))" }
        return text
    }

    /// True for the SQLSTATEs of a unique-key violation (23505).
    public var isUniqueViolation: Bool { sqlState == "23505" }

    /// True when the statement was cancelled by the server: `statement_timeout` or a cancel request (57014).
    public var isQueryCanceled: Bool { sqlState == "57014" }

    /// True for errors about the values a statement computed with (class 22: out of range, bad date…)
    /// or a limit of the server (class 54: too complex, stack depth).
    public var isDataOrLimitError: Bool {
        guard let sqlState else { return false }
        return sqlState.hasPrefix("22") || sqlState.hasPrefix("54")
    }

    /// Replaces every bind value of three or more characters found in the message.
    func redacting(_ values: [String?]) -> PostgresError {
        var copy = self
        for case let value? in values where value.count >= 3 {
            copy.message = copy.message.redacting(value)
            copy.hint = copy.hint?.redacting(value)
        }
        return copy
    }
}

extension String {
    fileprivate func redacting(_ target: String) -> String {
        guard !target.isEmpty, self.contains(target) else { return self }
        return self.split(separator: target, omittingEmptySubsequences: false).joined(separator: "‹redacted›")
    }
}
