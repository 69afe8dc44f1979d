/// A tenant's directory: users with directory ids, groups and their members.
public struct Directory: Sendable, Codable, Equatable {
    public struct User: Sendable, Codable, Equatable {
        public var id: String
        public var mail: String?
        public var userPrincipalName: String?
        public var displayName: String?

        public init(id: String, mail: String?, userPrincipalName: String?, displayName: String?) {
            self.id = id
            self.mail = mail
            self.userPrincipalName = userPrincipalName
            self.displayName = displayName
        }

        /// The address mail is collected for: `mail`, else the user principal name.
        public var address: String? { (mail ?? userPrincipalName)?.lowercased() }
    }

    public struct Group: Sendable, Codable, Equatable {
        public var id: String
        public var displayName: String?
        public var mail: String?
        /// Member ids: users or other groups.
        public var members: [String]

        public init(id: String, displayName: String?, mail: String?, members: [String]) {
            self.id = id
            self.displayName = displayName
            self.mail = mail
            self.members = members
        }
    }

    public var users: [User]
    public var groups: [Group]

    public init(users: [User], groups: [Group]) {
        self.users = users
        self.groups = groups
    }

    /// The group a reference names: its id, its mail or its display name (case-insensitive).
    public func group(named reference: String) -> Group? {
        let key = reference.lowercased()
        return groups.first { $0.id.lowercased() == key } ?? groups.first { $0.mail?.lowercased() == key }
            ?? groups.first { $0.displayName?.lowercased() == key }
    }

    /// The users of a group, nested groups flattened; a cycle is followed once.
    public func transitiveUsers(of group: Group) -> [User] {
        let usersByID = Dictionary(users.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let groupsByID = Dictionary(groups.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var seenGroups: Set<String> = [group.id]
        var seenUsers: Set<String> = []
        var result: [User] = []
        var queue = [group]
        while let next = queue.popLast() {
            for member in next.members {
                if let user = usersByID[member] {
                    if seenUsers.insert(user.id).inserted { result.append(user) }
                } else if let nested = groupsByID[member], seenGroups.insert(nested.id).inserted {
                    queue.append(nested)
                }
            }
        }
        return result
    }
}
