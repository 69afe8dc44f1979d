import Foundation
import Postgres

extension EnvironmentWebhook {
    /// The select list `init(row:)` reads, of table `environment_webhook`.
    static let columns: PostgresQuery = "url, secret_salt, created_at, created_by"

    init(row: PostgresRow) throws {
        self.init(
            url: try row.decode(column: "url"), secretID: String(try row.decode(String.self, column: "secret_salt").prefix(8)),
            createdAt: try row.decode(column: "created_at"), createdBy: try row.decode(column: "created_by"))
    }
}
