import Foundation
import Postgres

extension Licence {
    /// The select list `init(row:)` reads, of table `licence`.
    static let columns: PostgresQuery = "status, seats, expires_on, updated_at"

    /// An unknown stored status reads as `expired`.
    init(row: PostgresRow) throws {
        self.init(
            status: Status(rawValue: try row.decode(column: "status")) ?? .expired, seats: try row.decode(column: "seats"),
            expiresOn: try row.decode(column: "expires_on"), updatedAt: try row.decode(column: "updated_at"))
    }
}
