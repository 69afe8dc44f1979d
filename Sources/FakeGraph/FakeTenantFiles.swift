import FakeServiceKit
import Foundation

/// A tenant as a folder of JSON files, for `rapport-dev fake-graph --tenant-dir` (layout in docs/graph.md).
///
/// ```
/// tenant.json                      {"entra_tenant_id", "domain"}
/// users.json                       {"value": [Graph user: id, mail, userPrincipalName, displayName, hasMailbox?]}
/// groups.json                      {"value": [{id, displayName, mail, members: [user or group ids]}]}
/// mailboxes/{user id}/inbox.json       {"value": [Graph message]}
/// mailboxes/{user id}/sentitems.json   {"value": [Graph message]}
/// mailboxes/{user id}/calendar.json    {"value": [Graph event: singleInstance, occurrence or exception]}
/// ```
public enum FakeTenantFiles {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes a generated tenant in the layout above.
    public static func write(_ tenant: FakeTenant, to folder: URL) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(JSONBytes.object([("entra_tenant_id", JSONBytes.string(tenant.entraTenantID)), ("domain", JSONBytes.string(tenant.domain))]))
            .write(to: folder.appendingPathComponent("tenant.json"))
        let users = tenant.users.map { user in
            JSONBytes.object([
                ("id", JSONBytes.string(user.id)), ("mail", user.mail.map(JSONBytes.string) ?? JSONBytes.null),
                ("userPrincipalName", JSONBytes.string(user.userPrincipalName)), ("displayName", JSONBytes.string(user.displayName)),
                ("hasMailbox", JSONBytes.bool(user.hasMailbox)),
            ])
        }
        try Data(JSONBytes.object([("value", JSONBytes.array(users))])).write(to: folder.appendingPathComponent("users.json"))
        let groups = tenant.groups.map { group in
            JSONBytes.object([
                ("id", JSONBytes.string(group.id)), ("displayName", JSONBytes.string(group.displayName)),
                ("mail", group.mail.map(JSONBytes.string) ?? JSONBytes.null), ("members", JSONBytes.array(group.members.map(JSONBytes.string))),
            ])
        }
        try Data(JSONBytes.object([("value", JSONBytes.array(groups))])).write(to: folder.appendingPathComponent("groups.json"))
        var items: [String: [[UInt8]]] = [:]
        let mailboxes = tenant.mailboxesByAddress
        for message in tenant.messages {
            for copy in tenant.copies(of: message, mailboxes: mailboxes) {
                items["\(copy.user.id)/\(copy.folder)", default: []].append(FakeTenant.render(message, user: copy.user, folder: copy.folder).rendered(select: nil))
            }
        }
        for occurrence in tenant.occurrences {
            for copy in tenant.copies(of: occurrence, mailboxes: mailboxes) {
                items["\(copy.user.id)/calendar", default: []].append(FakeTenant.render(occurrence, user: copy.user, organized: copy.organized).rendered(select: nil))
            }
        }
        for user in tenant.users where user.hasMailbox {
            let box = folder.appendingPathComponent("mailboxes").appendingPathComponent(user.id)
            try manager.createDirectory(at: box, withIntermediateDirectories: true)
            for name in ["inbox", "sentitems", "calendar"] {
                try Data(JSONBytes.object([("value", JSONBytes.array(items["\(user.id)/\(name)"] ?? []))])).write(to: box.appendingPathComponent("\(name).json"))
            }
        }
    }

    /// Loads a tenant folder into a store that serves it (its mail and meetings as written, not as a model).
    public static func load(from folder: URL, clientID: String, clientSecret: String) throws -> FakeGraphStore {
        let manager = FileManager.default
        func object(_ url: URL) throws -> [String: Any] {
            guard let data = manager.contents(atPath: url.path) else { throw Failure(description: "\(url.path) is missing") }
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw Failure(description: "\(url.path) is not a JSON object")
            }
            return object
        }
        let header = (try? object(folder.appendingPathComponent("tenant.json"))) ?? [:]
        let users = try (object(folder.appendingPathComponent("users.json"))["value"] as? [[String: Any]] ?? []).map { user -> FakeUser in
            guard let id = user["id"] as? String, let upn = (user["userPrincipalName"] as? String) ?? (user["mail"] as? String) else {
                throw Failure(description: "users.json: every user needs an id and a userPrincipalName")
            }
            return FakeUser(
                id: id, mail: user["mail"] as? String, userPrincipalName: upn, displayName: user["displayName"] as? String ?? upn,
                hasMailbox: user["hasMailbox"] as? Bool ?? true)
        }
        let groupsFile = folder.appendingPathComponent("groups.json")
        let groups = try (manager.fileExists(atPath: groupsFile.path) ? object(groupsFile)["value"] as? [[String: Any]] ?? [] : []).map { group -> FakeGroup in
            guard let id = group["id"] as? String else { throw Failure(description: "groups.json: every group needs an id") }
            return FakeGroup(
                id: id, displayName: group["displayName"] as? String ?? id, mail: group["mail"] as? String, members: group["members"] as? [String] ?? [])
        }
        let tenant = FakeTenant(
            entraTenantID: header["entra_tenant_id"] as? String ?? "8c2b5a43-6f4e-4c1d-9b7a-2f0e1d3c4b5a", domain: header["domain"] as? String ?? "",
            users: users, groups: groups, messages: [], occurrences: [])
        let store = FakeGraphStore(tenant: tenant, credentials: .init(tenantID: tenant.entraTenantID, clientID: clientID, clientSecret: clientSecret))
        for user in users where user.hasMailbox {
            for name in ["inbox", "sentitems", "calendar"] {
                let file = folder.appendingPathComponent("mailboxes").appendingPathComponent(user.id).appendingPathComponent("\(name).json")
                guard manager.fileExists(atPath: file.path) else { continue }
                let values = try object(file)["value"] as? [[String: Any]] ?? []
                store.load(folder: "\(user.id)/\(name)", items: try values.map { try item($0, calendar: name == "calendar", file: file) })
            }
        }
        return store
    }

    private static func item(_ value: [String: Any], calendar: Bool, file: URL) throws -> (String, FakeItem) {
        guard let id = value["id"] as? String else { throw Failure(description: "\(file.path): an item without an id") }
        var members: [(String, [UInt8])] = []
        for (key, member) in value.sorted(by: { $0.key < $1.key }) {
            members.append((key, Array(try JSONSerialization.data(withJSONObject: member, options: [.fragmentsAllowed, .withoutEscapingSlashes]))))
        }
        let type = calendar ? "#microsoft.graph.event" : "#microsoft.graph.message"
        if value["@odata.type"] == nil { members.insert(("@odata.type", JSONBytes.string(type)), at: 0) }
        func seconds(_ text: String?) -> Int { text.flatMap(JSONBytes.date).map { Int($0.timeIntervalSince1970) } ?? 0 }
        let start = calendar ? seconds((value["start"] as? [String: Any])?["dateTime"] as? String) : seconds(value["receivedDateTime"] as? String)
        let end = calendar ? seconds((value["end"] as? [String: Any])?["dateTime"] as? String) : start
        return (id, FakeItem(members: members, odataType: type, start: start, end: end))
    }
}
