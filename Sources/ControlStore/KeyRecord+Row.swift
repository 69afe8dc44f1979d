import Foundation
import Postgres

extension KeyRecord {
    /// The select list `init(row:)` reads, of table `api_key`.
    static let columns: PostgresQuery = "key_id, principal_id, name, prefix, created_at, last_used_at, revoked_at"

    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode(column: "key_id"), principalID: try row.decode(column: "principal_id"), name: try row.decode(column: "name"),
            prefix: try row.decode(column: "prefix"), createdAt: try row.decode(column: "created_at"),
            lastUsedAt: try row.decode(column: "last_used_at"), revokedAt: try row.decode(column: "revoked_at"))
    }
}
