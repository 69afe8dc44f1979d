import Foundation
import Postgres

extension RoleAssignment {
    /// The select list `init(row:)` reads, of table `role_assignment`.
    static let columns: PostgresQuery = "assignment_id, principal_id, role, environment_id, notify_email, created_at"

    /// An unknown stored role reads as `viewer`.
    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode(column: "assignment_id"), principalID: try row.decode(column: "principal_id"),
            role: Role(rawValue: try row.decode(column: "role")) ?? .viewer, environmentID: try row.decode(column: "environment_id"),
            notifyEmail: try row.decode(column: "notify_email"), createdAt: try row.decode(column: "created_at"))
    }
}
