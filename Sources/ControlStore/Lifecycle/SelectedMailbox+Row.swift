import Foundation
import Postgres

extension SelectedMailbox {
    /// The select list `init(row:)` reads, of table `enrichment_mailbox`.
    static let columns: PostgresQuery = "address, directory_id"

    init(row: PostgresRow) throws {
        self.init(address: try row.decode(column: "address"), directoryID: try row.decode(column: "directory_id"))
    }
}
