import Foundation
import Ingest

/// Setting up and looking into organizations from tests (Swift, not HTTP).
extension FakeDataverseStore {
    /// Adds (or replaces) an organization with the standard `account` table and nothing else.
    public func addOrganization(_ organization: FakeDataverseOrganization) {
        state.withLock { state in
            state.organizations[FakeDataverseOrganization.canonicalHost(organization.host)] = OrganizationState(organization, settings: state.settings)
        }
    }

    /// The organization as set up (application users included).
    public func organization(_ host: String) -> FakeDataverseOrganization? {
        state.withLock { state in
            guard var setup = state.organizations[FakeDataverseOrganization.canonicalHost(host)]?.setup else { return nil }
            setup.applicationUsers = state.organizations[FakeDataverseOrganization.canonicalHost(host)]!.applicationUsers.values.sorted { $0.clientID < $1.clientID }
            return setup
        }
    }

    /// Adds or changes an application user (e.g. takes its role away).
    public func setApplicationUser(_ user: FakeDataverseOrganization.ApplicationUser, in host: String) {
        state.withLock { $0.organizations[FakeDataverseOrganization.canonicalHost(host)]?.applicationUsers[user.clientID.lowercased()] = user }
    }

    public func removeApplicationUser(clientID: String, from host: String) {
        state.withLock { $0.organizations[FakeDataverseOrganization.canonicalHost(host)]?.applicationUsers[clientID.lowercased()] = nil }
    }

    /// Adds a row to `account`; returns its id.
    @discardableResult
    public func addAccount(in host: String, id: UUID = UUID(), name: String, accountNumber: String? = nil) -> UUID {
        var values: [String: JSONValue] = ["name": .string(name)]
        if let accountNumber { values["accountnumber"] = .string(accountNumber) }
        state.withLock { state in
            let canonical = FakeDataverseOrganization.canonicalHost(host)
            guard state.organizations[canonical] != nil else { return }
            var transaction = state.organizations[canonical]!.begin()
            _ = state.organizations[canonical]!.write("account", id: id, values: values, transaction: &transaction)
        }
        return id
    }

    /// A table's definition: columns with their types, keys with their status as last read or used.
    public func table(_ logicalName: String, in host: String) -> FakeDataverseTable? {
        state.withLock { $0.organizations[FakeDataverseOrganization.canonicalHost(host)]?.tables[logicalName] }
    }

    /// Every table of an organization, by logical name.
    public func tables(in host: String) -> [FakeDataverseTable] {
        state.withLock { state in
            (state.organizations[FakeDataverseOrganization.canonicalHost(host)]?.tables.values).map { $0.sorted { $0.logicalName < $1.logicalName } } ?? []
        }
    }

    /// A table's rows in creation order: the primary key and every set column by logical name (lookups hold the referenced id).
    public func rows(of table: String, in host: String) -> [JSONObject] {
        state.withLock { state in
            guard let organization = state.organizations[FakeDataverseOrganization.canonicalHost(host)],
                let definition = organization.tables[table], let store = organization.rows[table]
            else { return [] }
            return store.rowsInOrder(after: 0).map { entry in
                var members: [(key: String, value: JSONValue)] = [(definition.primaryIdAttribute, .string(entry.id.uuidString.lowercased()))]
                for column in definition.columns where !column.isPrimaryID {
                    if let value = entry.row.values[column.logicalName] { members.append((column.logicalName, value)) }
                }
                return JSONObject(members: members)
            }
        }
    }

    public func count(of table: String, in host: String) -> Int {
        state.withLock { $0.organizations[FakeDataverseOrganization.canonicalHost(host)]?.rows[table]?.count ?? 0 }
    }

    /// Makes every pending key of a table active now (or failed, if rows already collide).
    public func activateKeys(of table: String, in host: String) {
        state.withLock { state in
            let canonical = FakeDataverseOrganization.canonicalHost(host)
            guard state.organizations[canonical] != nil else { return }
            var settings = state.settings
            settings.keyActivation = .immediately
            state.organizations[canonical]!.progressKeys(of: table, settings: settings, now: state.clock())
        }
    }
}
