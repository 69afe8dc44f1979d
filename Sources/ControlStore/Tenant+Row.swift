import Foundation
import Postgres

extension Tenant {
    /// The select list `init(row:)` reads, of table `tenant`.
    static let columns: PostgresQuery = "tenant_id, name, email_domains, created_at"

    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode(column: "tenant_id"), name: try row.decode(column: "name"),
            emailDomains: try row.decode(column: "email_domains"), createdAt: try row.decode(column: "created_at"))
    }
}
