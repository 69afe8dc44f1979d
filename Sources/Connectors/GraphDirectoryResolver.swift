import Foundation
import Ingest
import Platform

/// Resolves an enrichment's addresses and groups into mailboxes with their directory ids, through Graph.
///
/// An address is looked up by `mail` or `userPrincipalName`; a group by id,
/// else by mail or display name, and expands through
/// `/groups/{id}/transitiveMembers` (users only, every page).
public struct GraphDirectoryResolver: Sendable {
    let requester: GraphRequester
    let apiBase: String

    public init(requester: GraphRequester, apiBase: String) {
        self.requester = requester
        self.apiBase = apiBase
    }

    /// What the directory said about a configuration.
    public struct Resolution: Sendable, Equatable {
        /// Distinct mailboxes of the tenant's domains, sorted by address.
        public var mailboxes: [SelectedMailbox]
        /// Listed addresses no user has.
        public var unknownAddresses: [String]
        public var unknownGroups: [String]
        /// Group members outside the tenant's domains (guests), left out.
        public var foreignMembers: Int
    }

    struct User: Sendable {
        var id: String
        var address: String
    }

    public func resolve(addresses: [String], groups: [String], tenantDomains: [String]) async throws -> Resolution {
        let domains = tenantDomains.map { $0.lowercased() }
        func isInternal(_ address: String) -> Bool {
            guard let at = address.lastIndex(of: "@") else { return false }
            let domain = address[address.index(after: at)...]
            return domains.contains { domain == $0 || domain.hasSuffix("." + $0) }
        }
        var byAddress: [String: SelectedMailbox] = [:]
        var unknownAddresses: [String] = []
        var unknownGroups: [String] = []
        var foreign = 0
        let listed = Array(Set(addresses.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })).sorted()
        let found = try await withThrowingTaskGroup(of: (String, User?).self) { group in
            for address in listed {
                group.addTask { (address, try await user(address)) }
            }
            var found: [(String, User?)] = []
            for try await result in group { found.append(result) }
            return found
        }
        for (address, user) in found.sorted(by: { $0.0 < $1.0 }) {
            guard let user else {
                unknownAddresses.append(address)
                byAddress[address] = byAddress[address] ?? SelectedMailbox(address: address, directoryID: nil)
                continue
            }
            byAddress[address] = SelectedMailbox(address: address, directoryID: user.id)
        }
        for reference in groups {
            guard let id = try await groupID(reference) else {
                unknownGroups.append(reference)
                continue
            }
            for user in try await transitiveUsers(of: id) {
                guard isInternal(user.address) else {
                    foreign += 1
                    continue
                }
                if byAddress[user.address]?.directoryID == nil {
                    byAddress[user.address] = SelectedMailbox(address: user.address, directoryID: user.id)
                }
            }
        }
        return Resolution(
            mailboxes: byAddress.values.sorted { $0.address < $1.address }, unknownAddresses: unknownAddresses,
            unknownGroups: unknownGroups, foreignMembers: foreign)
    }

    /// The user whose mail or user principal name is `address`.
    func user(_ address: String) async throws -> User? {
        let filter = "mail eq \(GraphURL.literal(address)) or userPrincipalName eq \(GraphURL.literal(address))"
        let url = "\(apiBase)/users?$filter=\(GraphURL.encode(filter))&$select=id,mail,userPrincipalName"
        let page = try await json(url)
        return (page["value"]?.arrayValue ?? []).compactMap { Self.user($0) }.first
    }

    /// The group a reference names: its id, else its mail or display name.
    func groupID(_ reference: String) async throws -> String? {
        let text = reference.trimmingCharacters(in: .whitespaces)
        if let id = UUID(uuidString: text) {
            do {
                let group = try await json("\(apiBase)/groups/\(id.uuidString.lowercased())?$select=id")
                return group["id"]?.stringValue
            } catch let error as GraphError where error.code == .notFound {
                return nil
            }
        }
        let filter = "mail eq \(GraphURL.literal(text)) or displayName eq \(GraphURL.literal(text))"
        let page = try await json("\(apiBase)/groups?$filter=\(GraphURL.encode(filter))&$select=id")
        return page["value"]?.arrayValue?.first?.objectValue?["id"]?.stringValue
    }

    /// Every user in a group, nested groups included, following every page.
    func transitiveUsers(of group: String) async throws -> [User] {
        var url: String? = "\(apiBase)/groups/\(GraphURL.encode(group))/transitiveMembers?$select=id,mail,userPrincipalName&$top=999"
        var users: [User] = []
        while let next = url {
            let page = try await json(next)
            for item in page["value"]?.arrayValue ?? [] {
                // transitiveMembers holds groups, devices and service principals too: users only.
                guard item.objectValue?["@odata.type"]?.stringValue?.lowercased() == "#microsoft.graph.user", let user = Self.user(item) else { continue }
                users.append(user)
            }
            url = page["@odata.nextLink"]?.stringValue
        }
        return users
    }

    private func json(_ url: String) async throws -> JSONObject {
        let body = try await requester.get(url)
        guard let object = (try? JSONParser.parse(body))?.objectValue else {
            throw GraphError(.badResponse, "Microsoft Graph answered \(GraphURL.path(of: url)) with something other than a JSON object")
        }
        return object
    }

    private static func user(_ value: JSONValue) -> User? {
        guard let object = value.objectValue, let id = object["id"]?.stringValue,
            let address = (object["mail"]?.stringValue ?? object["userPrincipalName"]?.stringValue)?.lowercased()
        else { return nil }
        return User(id: id, address: address)
    }
}
