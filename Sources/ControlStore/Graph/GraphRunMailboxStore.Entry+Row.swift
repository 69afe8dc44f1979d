import Foundation
import Postgres

extension GraphRunMailboxStore.Entry {
    /// The select list `init(row:)` reads, of table `graph_run_mailbox`.
    static let columns: PostgresQuery = "kind, address, directory_id, state, detail, updated_at"

    /// An unknown stored state reads as `not_found`.
    init(row: PostgresRow) throws {
        self.init(
            kind: try row.decode(column: "kind"), address: try row.decode(column: "address"), directoryID: try row.decode(column: "directory_id"),
            state: GraphRunMailboxStore.State(rawValue: try row.decode(column: "state")) ?? .notFound, detail: try row.decode(column: "detail"),
            updatedAt: try row.decode(column: "updated_at"))
    }
}
