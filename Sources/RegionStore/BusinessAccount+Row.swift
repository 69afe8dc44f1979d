import Engagement
import Foundation
import Postgres

extension BusinessAccount {
    /// The select list `init(row:)` reads, of table `business_account`.
    static let columns: PostgresQuery = "account_id, name, web_domains"

    init(row: PostgresRow) throws {
        self.init(id: try row.decode(column: "account_id"), name: try row.decode(column: "name"), domains: try row.decode(column: "web_domains"))
    }
}
