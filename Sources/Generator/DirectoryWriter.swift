import Ingest
/// Writes `directory.json`: the users with their directory ids, and the groups with their direct members.
enum DirectoryWriter {
    static func json(_ directory: Directory) -> [UInt8] {
        let users = directory.users.map { user -> JSONText in
            .object([
                ("id", .string(user.id)), ("mail", .string(user.mail)), ("user_principal_name", .string(user.userPrincipalName)),
                ("display_name", .string(user.displayName)),
            ])
        }
        let groups = directory.groups.map { group -> JSONText in
            .object([
                ("id", .string(group.id)), ("display_name", .string(group.displayName)), ("mail", .string(group.mail)),
                ("members", .array(group.members.map { .string($0) })),
            ])
        }
        return JSONText.object([("users", .array(users)), ("groups", .array(groups))]).bytes(indent: true)
    }
}
