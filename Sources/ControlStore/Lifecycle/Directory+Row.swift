import Foundation
import Postgres

extension Directory.User {
    /// The select list `init(row:)` reads, of table `directory_user`.
    static let columns: PostgresQuery = "user_id, mail, user_principal_name, display_name"

    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode(column: "user_id"), mail: try row.decode(column: "mail"),
            userPrincipalName: try row.decode(column: "user_principal_name"), displayName: try row.decode(column: "display_name"))
    }
}

extension Directory.Group {
    /// The select list `init(row:members:)` reads, of table `directory_group`.
    static let columns: PostgresQuery = "group_id, display_name, mail"

    /// A group row with its members (stored apart, in `directory_membership`).
    init(row: PostgresRow, members: [String: [String]]) throws {
        let id: String = try row.decode(column: "group_id")
        self.init(id: id, displayName: try row.decode(column: "display_name"), mail: try row.decode(column: "mail"), members: members[id] ?? [])
    }
}
