import Foundation
import Postgres

extension AuditEvent {
    /// The select list `init(row:)` reads, of table `audit_event`.
    static let columns: PostgresQuery = "event_id, at, actor_principal_id, actor_operator_id, key_id, action, target, details"

    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode(column: "event_id"), at: try row.decode(column: "at"),
            actorPrincipalID: try row.decode(column: "actor_principal_id"), actorOperatorID: try row.decode(column: "actor_operator_id"),
            keyID: try row.decode(column: "key_id"), action: try row.decode(column: "action"), target: try row.decode(column: "target"),
            details: try row.decode(PostgresJSON<[String: String]>.self, column: "details").value)
    }
}
