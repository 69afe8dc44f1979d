import Engagement
import Foundation
import Postgres

extension CustomerDataStore {
    /// Replaces the accounts: accounts not in `accounts` go (with their contacts); the others are updated or added.
    public func replaceAccounts(accounts: [BusinessAccount]) async throws -> Counts {
        var known = Set<String>()
        for (index, account) in accounts.enumerated() where !known.insert(account.id).inserted {
            throw ServiceError(.invalid, "account id \"\(account.id)\" appears twice", field: "accounts[\(index)].id")
        }
        try await database.withTenant(tenant) { connection in
            try await connection.execute("CREATE TEMPORARY TABLE staging_accounts (LIKE business_account) ON COMMIT DROP")
            try await connection.copyFrom(
                "COPY staging_accounts (tenant_id, environment_id, account_id, name, web_domains) FROM STDIN"
            ) { writer in
                for account in accounts {
                    try await writer.writeRow(tenant, environment, account.id, account.name, account.domains)
                }
            }
            try await connection.execute(
                """
                DELETE FROM business_account b WHERE b.environment_id = \(environment)
                AND NOT EXISTS (SELECT 1 FROM staging_accounts s WHERE s.account_id = b.account_id)
                """)
            try await connection.execute(
                """
                INSERT INTO business_account (tenant_id, environment_id, account_id, name, web_domains)
                SELECT tenant_id, environment_id, account_id, name, web_domains FROM staging_accounts
                ON CONFLICT (tenant_id, environment_id, account_id) DO UPDATE SET name = excluded.name, web_domains = excluded.web_domains
                """)
            try await connection.analyzeAsOwner("business_account", unlessEstimatedAtLeast: accounts.count)
        }
        return try await counts()
    }

    /// Replaces every contact of the environment; each must name an existing account.
    public func replaceContacts(contacts: [Contact]) async throws -> Counts {
        var seen = Set<String>()
        for (index, contact) in contacts.enumerated() where !seen.insert(contact.id).inserted {
            throw ServiceError(.invalid, "contact id \"\(contact.id)\" appears twice", field: "contacts[\(index)].id")
        }
        try await database.withTenant(tenant) { connection in
            let ids: [String] = try await connection.query(
                "SELECT account_id FROM business_account WHERE environment_id = \(environment)"
            ).decode(String.self)
            let accounts = Set(ids)
            for (index, contact) in contacts.enumerated() where !accounts.contains(contact.accountID) {
                throw ServiceError(
                    .invalid, "contact \"\(contact.id)\" names account \"\(contact.accountID)\", which is not in the environment",
                    field: "contacts[\(index)].account_id")
            }
            try await connection.execute("DELETE FROM contact WHERE environment_id = \(environment)")
            try await writeContacts(connection, contacts)
        }
        return try await counts()
    }

    func writeContacts(_ connection: PostgresConnection, _ contacts: [Contact]) async throws {
        try await connection.copyThroughStaging(into: "contact", columns: ["tenant_id", "environment_id", "contact_id", "account_id"]) {
            writer in
            for contact in contacts {
                try await writer.writeRow(tenant, environment, contact.id, contact.accountID)
            }
        }
        try await connection.copyThroughStaging(
            into: "contact_email", columns: ["tenant_id", "environment_id", "contact_id", "field", "address_hash"]
        ) { writer in
            for contact in contacts {
                for (field, address) in contact.emailsByColumn.sorted(by: { $0.key < $1.key }) where !address.isEmpty {
                    try await writer.writeRow(tenant, environment, contact.id, field.lowercased(), hasher.hash(address))
                }
            }
        }
    }
}
