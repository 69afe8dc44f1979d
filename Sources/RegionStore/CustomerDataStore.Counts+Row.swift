import Foundation
import Postgres

extension CustomerDataStore.Counts {
    /// The select list `init(row:)` reads: the environment's accounts, contacts and contact addresses, counted.
    static func columns(environment: UUID) -> PostgresQuery {
        """
        (SELECT count(*) FROM business_account WHERE environment_id = \(environment)) AS accounts,
        (SELECT count(*) FROM contact WHERE environment_id = \(environment)) AS contacts,
        (SELECT count(*) FROM contact_email WHERE environment_id = \(environment)) AS contact_emails
        """
    }

    init(row: PostgresRow) throws {
        self.init(
            accounts: try row.decode(column: "accounts"), contacts: try row.decode(column: "contacts"),
            contactEmails: try row.decode(column: "contact_emails"))
    }
}
