import Foundation
import Postgres

/// Mail waiting for the SMTP relay and webhook deliveries: enqueued in the sender's transaction, sent with retries.
public struct OutboxStore: Sendable {
    public let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// What an entry is and who sends it.
    public enum Kind: String, Sendable, Codable {
        /// Mail: `recipient` is an address; sent through the SMTP relay.
        case email
        /// A webhook delivery: `recipient` is the URL, `subject` the event, `body` the JSON; signed when sent.
        case webhook
    }

    /// One message in the outbox.
    public struct Entry: Sendable, Codable, Equatable {
        public var id: Int
        public var tenantID: UUID?
        /// The environment a webhook delivery announces.
        public var environmentID: UUID?
        public var kind: Kind
        public var recipient: String
        public var subject: String
        public var body: String
        public var createdAt: Date
        public var attempts: Int
        public var nextAttemptAt: Date
        public var sentAt: Date?
        public var lastError: String?
    }

    /// Adds a message inside the caller's transaction, so it exists exactly when the change that sends it does.
    public static func enqueue(
        _ connection: PostgresConnection, tenant: UUID?, recipient: String, subject: String, body: String, at moment: Date
    ) async throws {
        try await connection.execute(
            """
            INSERT INTO outbox (tenant_id, recipient, subject, body, created_at, next_attempt_at)
            VALUES (\(tenant), \(recipient), \(subject), \(body), \(moment), \(moment))
            """)
    }

    /// Unsent messages of `kind` whose next attempt is due, oldest first, locked for this sender.
    public func withDue<Result>(
        _ kind: Kind = .email, at moment: Date, limit: Int = 20, isolation: isolated (any Actor)? = #isolation,
        _ body: ([Entry], PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await pool.withTransaction { connection in
            let entries = try await connection.query(
                """
                SELECT \(Entry.columns) FROM outbox WHERE kind = \(kind.rawValue) AND sent_at IS NULL AND next_attempt_at <= \(moment)
                ORDER BY message_id LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """
            ).map(Entry.init(row:))
            return try await body(entries, connection)
        }
    }

    public static func markSent(_ connection: PostgresConnection, id: Int, at moment: Date) async throws {
        try await connection.execute(
            "UPDATE outbox SET sent_at = \(moment), attempts = attempts + 1, last_error = NULL WHERE message_id = \(id)")
    }

    /// Ends an entry that can no longer be sent (its webhook was removed), keeping why.
    public static func markDropped(_ connection: PostgresConnection, id: Int, reason: String, at moment: Date) async throws {
        try await connection.execute(
            "UPDATE outbox SET sent_at = \(moment), last_error = \("dropped: " + reason) WHERE message_id = \(id)")
    }

    /// Records a failed attempt; the next one waits 30 s, doubling up to an hour.
    public static func markFailed(_ connection: PostgresConnection, id: Int, error: String, at moment: Date) async throws {
        try await connection.execute(
            """
            UPDATE outbox SET attempts = attempts + 1, last_error = \(String(error.prefix(500))),
                next_attempt_at = \(moment) + least(interval '1 hour', interval '30 seconds' * power(2, attempts))
            WHERE message_id = \(id)
            """)
    }

    /// The outbox, newest first, for the operator.
    public func list(limit: Int = 100, pendingOnly: Bool = false) async throws -> [Entry] {
        try await pool.query(
            """
            SELECT \(Entry.columns) FROM outbox \(pendingOnly ? "WHERE sent_at IS NULL" : "" as PostgresQuery)
            ORDER BY message_id DESC LIMIT \(limit)
            """
        ).map(Entry.init(row:))
    }
}
