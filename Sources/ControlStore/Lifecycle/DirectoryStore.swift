import Engagement
import Foundation
import Postgres

/// The tenant's directory in the control database, replaced whole on each load.
public struct DirectoryStore: Sendable {
    public let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Replaces the tenant's directory in one transaction; members must be known users or groups.
    public func replace(tenant: UUID, with directory: Directory) async throws {
        var userIDs = Set<String>()
        for (index, user) in directory.users.enumerated() {
            guard !user.id.isEmpty else { throw ServiceError(.invalid, "is required", field: "users[\(index)].id") }
            guard userIDs.insert(user.id).inserted else { throw ServiceError(.invalid, "user id \"\(user.id)\" appears twice", field: "users[\(index)].id") }
            guard user.address != nil else {
                throw ServiceError(.invalid, "a user needs mail or user_principal_name", field: "users[\(index)]")
            }
        }
        var groupIDs = Set<String>()
        for (index, group) in directory.groups.enumerated() {
            guard !group.id.isEmpty, !userIDs.contains(group.id) else {
                throw ServiceError(.invalid, "group ids must be non-empty and differ from user ids", field: "groups[\(index)].id")
            }
            guard groupIDs.insert(group.id).inserted else {
                throw ServiceError(.invalid, "group id \"\(group.id)\" appears twice", field: "groups[\(index)].id")
            }
        }
        for (index, group) in directory.groups.enumerated() {
            for (position, member) in group.members.enumerated() where !userIDs.contains(member) && !groupIDs.contains(member) {
                throw ServiceError(.invalid, "unknown member \"\(member)\"", field: "groups[\(index)].members[\(position)]")
            }
        }
        try await pool.withTransaction { connection in
            try await connection.execute("DELETE FROM directory_user WHERE tenant_id = \(tenant)")
            try await connection.execute("DELETE FROM directory_group WHERE tenant_id = \(tenant)")
            try await connection.copyFrom("COPY directory_user (tenant_id, user_id, mail, user_principal_name, display_name) FROM STDIN") { writer in
                for user in directory.users {
                    try await writer.writeRow(tenant, user.id, user.mail?.lowercased(), user.userPrincipalName?.lowercased(), user.displayName)
                }
            }
            try await connection.copyFrom("COPY directory_group (tenant_id, group_id, display_name, mail) FROM STDIN") { writer in
                for group in directory.groups {
                    try await writer.writeRow(tenant, group.id, group.displayName, group.mail?.lowercased())
                }
            }
            try await connection.copyFrom("COPY directory_membership (tenant_id, group_id, member_id, member_is_group) FROM STDIN") { writer in
                for group in directory.groups {
                    for member in Set(group.members).sorted() {
                        try await writer.writeRow(tenant, group.id, member, groupIDs.contains(member))
                    }
                }
            }
        }
    }

    public func load(tenant: UUID) async throws -> Directory {
        let users = try await pool.query(
            "SELECT \(Directory.User.columns) FROM directory_user WHERE tenant_id = \(tenant) ORDER BY user_id"
        ).map(Directory.User.init(row:))
        var members: [String: [String]] = [:]
        for row in try await pool.query(
            "SELECT group_id, member_id FROM directory_membership WHERE tenant_id = \(tenant) ORDER BY group_id, member_id")
        {
            let (group, member) = try row.decode((String, String).self)
            members[group, default: []].append(member)
        }
        let groups = try await pool.query(
            "SELECT \(Directory.Group.columns) FROM directory_group WHERE tenant_id = \(tenant) ORDER BY group_id"
        ).map { try Directory.Group(row: $0, members: members) }
        return Directory(users: users, groups: groups)
    }
}
