import Foundation
import Postgres

extension ConsentState {
    /// The select list `init(row:)` reads, of table `consent`.
    static let columns: PostgresQuery = "status, decided_at, decided_by, reason, updated_at"

    /// An unknown stored status reads as `none`.
    init(row: PostgresRow) throws {
        self.init(
            status: Status(rawValue: try row.decode(column: "status")) ?? .none, decidedAt: try row.decode(column: "decided_at"),
            decidedBy: try row.decode(column: "decided_by"), reason: try row.decode(column: "reason"),
            updatedAt: try row.decode(column: "updated_at"))
    }
}
