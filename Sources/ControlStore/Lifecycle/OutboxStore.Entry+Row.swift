import Foundation
import Postgres

extension OutboxStore.Entry {
    /// The select list `init(row:)` reads, of table `outbox`.
    static let columns: PostgresQuery =
        "message_id, tenant_id, environment_id, kind, recipient, subject, body, created_at, attempts, next_attempt_at, sent_at, last_error"

    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode(column: "message_id"), tenantID: try row.decode(column: "tenant_id"),
            environmentID: try row.decode(column: "environment_id"),
            kind: OutboxStore.Kind(rawValue: try row.decode(column: "kind")) ?? .email, recipient: try row.decode(column: "recipient"),
            subject: try row.decode(column: "subject"), body: try row.decode(column: "body"), createdAt: try row.decode(column: "created_at"),
            attempts: try row.decode(column: "attempts"), nextAttemptAt: try row.decode(column: "next_attempt_at"),
            sentAt: try row.decode(column: "sent_at"), lastError: try row.decode(column: "last_error"))
    }
}
