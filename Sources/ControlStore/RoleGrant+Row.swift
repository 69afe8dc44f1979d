import Foundation
import Postgres

extension RoleGrant {
    /// The select list `init(row:)` reads, of table `role_assignment`.
    static let columns: PostgresQuery = "role, environment_id"

    /// An unknown stored role reads as `viewer`.
    init(row: PostgresRow) throws {
        self.init(role: Role(rawValue: try row.decode(column: "role")) ?? .viewer, environmentID: try row.decode(column: "environment_id"))
    }
}
