import Engagement
import Foundation
import Postgres

/// An environment's business accounts and contacts in its region's database.
public struct CustomerDataStore: Sendable {
    /// The environment's slice of its region database.
    public let slice: EnvironmentDatabase
    let hasher: AddressHasher
    var database: RegionDatabase { slice.database }
    var tenant: UUID { slice.tenant }
    var environment: UUID { slice.environment }

    public init(_ slice: EnvironmentDatabase, hasher: AddressHasher) {
        self.slice = slice
        self.hasher = hasher
    }

    /// What a replacement wrote.
    public struct Counts: Sendable, Equatable, Codable {
        public var accounts: Int
        public var contacts: Int
        public var contactEmails: Int
    }

    /// Replaces the environment's customer data in one transaction: readers see the old set or the new one.
    ///
    /// A contact whose account is not among `accounts` is an error naming it, and nothing is written.
    public func replace(
        accounts: [BusinessAccount], contacts: [Contact]
    ) async throws -> Counts {
        var known = Set<String>()
        for (index, account) in accounts.enumerated() {
            guard known.insert(account.id).inserted else {
                throw ServiceError(.invalid, "account id \"\(account.id)\" appears twice", field: "accounts[\(index)].id")
            }
        }
        var seenContacts = Set<String>()
        for (index, contact) in contacts.enumerated() {
            guard known.contains(contact.accountID) else {
                throw ServiceError(
                    .invalid, "contact \"\(contact.id)\" names account \"\(contact.accountID)\", which is not in the accounts",
                    field: "contacts[\(index)].account_id")
            }
            guard seenContacts.insert(contact.id).inserted else {
                throw ServiceError(.invalid, "contact id \"\(contact.id)\" appears twice", field: "contacts[\(index)].id")
            }
        }
        try await database.withTenant(tenant) { connection in
            try await connection.execute("DELETE FROM business_account WHERE tenant_id = \(tenant) AND environment_id = \(environment)")
            try await connection.copyThroughStaging(
                into: "business_account", columns: ["tenant_id", "environment_id", "account_id", "name", "web_domains"]
            ) { writer in
                for account in accounts {
                    try await writer.writeRow(tenant, environment, account.id, account.name, account.domains)
                }
            }
            try await writeContacts(connection, contacts)
        }
        return try await counts()
    }

    /// Counts of the environment's customer data, for the prerequisite check and pages.
    public func counts() async throws -> Counts {
        try await database.withTenant(tenant) { connection in
            try Counts(row: try await connection.query("SELECT \(Counts.columns(environment: environment))")[0])
        }
    }

    /// The names of the given accounts (those that exist), by account id, for pages that list accounts.
    public func accountNames(ids: [String]) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        return try await database.withTenant(tenant, snapshot: true) { connection in
            var names: [String: String] = [:]
            for row in try await connection.query(
                "SELECT account_id, name FROM business_account WHERE environment_id = \(environment) AND account_id = ANY(\(ids))")
            {
                let (id, name) = try row.decode((String, String).self)
                names[id] = name
            }
            return names
        }
    }

    /// Whether some account has a contact with an email address.
    public func hasAccountWithReachableContact() async throws -> Bool {
        try await database.withTenant(tenant) { connection in
            try await connection.query(
                """
                SELECT EXISTS (SELECT 1 FROM contact_email e JOIN contact c USING (tenant_id, environment_id, contact_id)
                               WHERE e.environment_id = \(environment))
                """)[0].decode(Bool.self, at: 0)
        }
    }
}
