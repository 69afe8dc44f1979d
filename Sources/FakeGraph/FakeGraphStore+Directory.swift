import FakeServiceKit

extension FakeGraphStore.State {
    /// The quoted literals of an OData `$filter` (`mail eq 'a' or userPrincipalName eq 'a'`), lowercased.
    static func literals(_ filter: String) -> [String] {
        var literals: [String] = []
        var current: String?
        var characters = Array(filter)[...]
        while let character = characters.popFirst() {
            if character == "'" {
                if current == nil {
                    current = ""
                } else if characters.first == "'" {
                    characters.removeFirst()
                    current! += "'"
                } else {
                    literals.append(current!.lowercased())
                    current = nil
                }
            } else if current != nil {
                current!.append(character)
            }
        }
        return literals
    }

    func users(_ request: FakeRequest) -> FakeResponse {
        let wanted = Set(Self.literals(request.parameters["$filter"] ?? ""))
        let matches = model.users.filter { user in
            wanted.isEmpty || wanted.contains(user.userPrincipalName.lowercased()) || user.mail.map { wanted.contains($0.lowercased()) } == true
        }
        return .json(JSONBytes.object([("value", JSONBytes.array(matches.map(FakeTenant.render)))]))
    }

    func user(_ id: String) -> FakeResponse {
        guard let user = model.users.first(where: { $0.id == id || $0.userPrincipalName.lowercased() == id.lowercased() }) else {
            return .error(404, "Request_ResourceNotFound", "Resource '\(id)' does not exist or one of its queried reference-property objects are not present.")
        }
        return .json(FakeTenant.render(user))
    }

    func groups(_ request: FakeRequest) -> FakeResponse {
        let wanted = Set(Self.literals(request.parameters["$filter"] ?? ""))
        let matches = model.groups.filter { group in
            wanted.isEmpty || wanted.contains(group.displayName.lowercased()) || group.mail.map { wanted.contains($0.lowercased()) } == true
        }
        return .json(JSONBytes.object([("value", JSONBytes.array(matches.map(FakeTenant.render)))]))
    }

    func group(_ id: String) -> FakeResponse {
        guard let group = model.groups.first(where: { $0.id == id }) else {
            return .error(404, "Request_ResourceNotFound", "Resource '\(id)' does not exist or one of its queried reference-property objects are not present.")
        }
        return .json(FakeTenant.render(group))
    }

    /// Users and nested groups of a group, flattened, paged by `$skiptoken` (an offset).
    func transitiveMembers(_ id: String, request: FakeRequest) -> FakeResponse {
        guard let root = model.groups.first(where: { $0.id == id }) else { return group(id) }
        let usersByID = Dictionary(model.users.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let groupsByID = Dictionary(model.groups.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var seen: Set<String> = [root.id]
        var members: [[UInt8]] = []
        var queue = [root]
        while !queue.isEmpty {
            let next = queue.removeFirst()
            for member in next.members where seen.insert(member).inserted {
                if let user = usersByID[member] {
                    members.append(FakeTenant.render(user))
                } else if let nested = groupsByID[member] {
                    members.append(FakeTenant.render(nested))
                    queue.append(nested)
                }
            }
        }
        let parameters = request.parameters
        let offset = Int(parameters["$skiptoken"] ?? "") ?? 0
        let size = min(Int(parameters["$top"] ?? "") ?? 100, directoryPageSize)
        let page = Array(members.dropFirst(offset).prefix(size))
        var object: [(String, [UInt8])] = [("@odata.context", JSONBytes.string("\(baseURL)/v1.0/$metadata#directoryObjects")), ("value", JSONBytes.array(page))]
        if offset + size < members.count {
            let select = parameters["$select"].map { "&$select=\($0)" } ?? ""
            object.append(("@odata.nextLink", JSONBytes.string("\(baseURL)/v1.0/groups/\(id)/transitiveMembers?$top=\(size)\(select)&$skiptoken=\(offset + size)")))
        }
        return .json(JSONBytes.object(object))
    }
}
