import Foundation
import Postgres

extension Principal {
    /// The select list `init(row:)` reads, of table `principal`.
    static let columns: PostgresQuery = "principal_id, tenant_id, display_name, email, created_at"

    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode(column: "principal_id"), tenantID: try row.decode(column: "tenant_id"),
            displayName: try row.decode(column: "display_name"), email: try row.decode(column: "email"),
            createdAt: try row.decode(column: "created_at"))
    }
}
