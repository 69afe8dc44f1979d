/// The organization's directory: users and nested groups, and what the enrichment selects from it.
public struct Directory: Sendable, Hashable {
    public var users: [DirectoryUser]
    public var groups: [DirectoryGroup]
    /// The groups (by mail) an admin would pick to select the mailboxes.
    public var selectedGroups: [String]
    /// Single addresses an admin would pick besides the groups.
    public var selectedAddresses: [String]

    /// Every member of a group, through nested groups: users and groups, each once, depth first.
    public func transitiveMembers(of groupID: String) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        var visiting = Set<String>()
        func visit(_ id: String) {
            guard visiting.insert(id).inserted, let group = groups.first(where: { $0.id == id }) else { return }
            for member in group.members where seen.insert(member).inserted {
                out.append(member)
                visit(member)
            }
        }
        visit(groupID)
        return out
    }

    /// The users of a group through nested groups, each once.
    public func transitiveUsers(of groupID: String) -> [DirectoryUser] {
        let ids = Set(users.map(\.id))
        let members = transitiveMembers(of: groupID).filter { ids.contains($0) }
        return members.compactMap { id in users.first { $0.id == id } }
    }

    /// The addresses the selection resolves to (groups expanded, duplicates once), sorted.
    public func resolvedSelection() -> [String] {
        var out = Set(selectedAddresses)
        for mail in selectedGroups {
            guard let group = groups.first(where: { $0.mail == mail }) else { continue }
            for user in transitiveUsers(of: group.id) { out.insert(user.mail) }
        }
        return out.sorted()
    }
}
