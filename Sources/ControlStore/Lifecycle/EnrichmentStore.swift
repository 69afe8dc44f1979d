import Engagement
import Foundation
import Postgres

/// Enrichment configurations and their resolved mailboxes, in the control database.
public struct EnrichmentStore: Sendable {
    public let pool: PostgresPool

    public static let minimumMailboxes = 2
    public static let maximumMailboxes = 2_500

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Resolves the listed addresses and groups against the directory into distinct mailboxes.
    ///
    /// Throws `ConfigurationRejection` naming the count, unknown groups, and
    /// invalid or foreign addresses when the result is not 2 to 2,500 valid
    /// addresses of the tenant's own domains.
    public static func resolve(
        _ configuration: EnrichmentConfiguration, directory: Directory, tenantDomains: [String]
    ) throws -> [SelectedMailbox] {
        let domains = DomainSuffixes(tenantDomains)
        let usersByAddress = Dictionary(
            directory.users.compactMap { user in user.address.map { ($0, user) } } + directory.users.compactMap { user in
                user.userPrincipalName.map { ($0.lowercased(), user) }
            },
            uniquingKeysWith: { first, _ in first })
        var mailboxes: [String: SelectedMailbox] = [:]
        var invalid: [String] = []
        var foreign: [String] = []
        var unknownGroups: [String] = []
        func add(_ raw: String, directoryID: String?) {
            guard let address = try? Validation.email(raw, field: "addresses").lowercased() else {
                invalid.append(raw)
                return
            }
            guard domains.contains(address: address) else {
                foreign.append(address)
                return
            }
            let id = directoryID ?? usersByAddress[address]?.id
            if mailboxes[address]?.directoryID == nil {
                mailboxes[address] = SelectedMailbox(address: address, directoryID: id)
            }
        }
        for address in configuration.addresses { add(address, directoryID: nil) }
        for reference in configuration.groups {
            guard let group = directory.group(named: reference) else {
                unknownGroups.append(reference)
                continue
            }
            for user in directory.transitiveUsers(of: group) {
                if let address = user.address { add(address, directoryID: user.id) }
            }
        }
        let count = mailboxes.count
        let countProblem = count < minimumMailboxes || count > maximumMailboxes
        guard !countProblem, invalid.isEmpty, foreign.isEmpty, unknownGroups.isEmpty else {
            var reasons: [String] = []
            if countProblem { reasons.append("the addresses and groups resolve to \(count) mailboxes; \(minimumMailboxes) to \(maximumMailboxes) are needed") }
            if !unknownGroups.isEmpty { reasons.append("unknown groups: \(unknownGroups.joined(separator: ", "))") }
            if !invalid.isEmpty { reasons.append("invalid addresses: \(invalid.joined(separator: ", "))") }
            if !foreign.isEmpty { reasons.append("addresses outside the organization's domains: \(foreign.joined(separator: ", "))") }
            throw ConfigurationRejection(
                message: reasons.joined(separator: "; "), resolvedCount: count, unknownGroups: unknownGroups,
                invalidAddresses: invalid, foreignAddresses: foreign, failedChecks: [])
        }
        return mailboxes.values.sorted { $0.address < $1.address }
    }

    /// Stores the configuration and its mailboxes, replacing the previous ones.
    public func save(
        tenant: UUID, environment: UUID, _ configuration: EnrichmentConfiguration, mailboxes: [SelectedMailbox], at moment: Date,
        in connection: PostgresConnection
    ) async throws {
        try await connection.execute(
            """
            INSERT INTO enrichment (tenant_id, environment_id, name, agreed, dataset, email_field, schedule, weights, rules,
                                    requested_addresses, requested_groups, export_levels, created_at, updated_at)
            VALUES (\(tenant), \(environment), \(configuration.name), \(configuration.agreed), \(configuration.dataset),
                    \(configuration.emailField), \(configuration.schedule.rawValue), \(PostgresJSON(configuration.weights)),
                    \(PostgresJSON(configuration.rules)), \(configuration.addresses), \(configuration.groups), \(configuration.exportLevels), \(moment), \(moment))
            ON CONFLICT (tenant_id, environment_id) DO UPDATE SET
                name = excluded.name, agreed = excluded.agreed, dataset = excluded.dataset, email_field = excluded.email_field,
                schedule = excluded.schedule, weights = excluded.weights, rules = excluded.rules,
                requested_addresses = excluded.requested_addresses, requested_groups = excluded.requested_groups,
                export_levels = excluded.export_levels, updated_at = excluded.updated_at,
                next_run_at = CASE WHEN excluded.schedule = 'off' THEN NULL ELSE enrichment.next_run_at END
            """)
        try await connection.execute("DELETE FROM enrichment_mailbox WHERE tenant_id = \(tenant) AND environment_id = \(environment)")
        try await connection.copyFrom("COPY enrichment_mailbox (tenant_id, environment_id, address, directory_id) FROM STDIN") { writer in
            for mailbox in mailboxes {
                try await writer.writeRow(tenant, environment, mailbox.address, mailbox.directoryID)
            }
        }
    }

    /// The stored configuration, or nil before the first save.
    public func configuration(tenant: UUID, environment: UUID) async throws -> StoredEnrichment? {
        let rows = try await pool.query(
            "SELECT \(StoredEnrichment.columns) FROM enrichment e WHERE tenant_id = \(tenant) AND environment_id = \(environment)")
        return try rows.first.map(StoredEnrichment.init(row:))
    }

    /// The resolved mailboxes with their directory ids.
    public func mailboxes(tenant: UUID, environment: UUID) async throws -> [SelectedMailbox] {
        try await pool.query(
            "SELECT \(SelectedMailbox.columns) FROM enrichment_mailbox WHERE tenant_id = \(tenant) AND environment_id = \(environment) ORDER BY address"
        ).map(SelectedMailbox.init(row:))
    }
}

/// A saved enrichment with what the service derived from it.
public struct StoredEnrichment: Sendable, Codable, Equatable {
    public var configuration: EnrichmentConfiguration
    public var mailboxCount: Int
    public var nextRunAt: Date?
    public var updatedAt: Date
}

/// The tenant's own domains and their subdomains.
struct DomainSuffixes {
    let domains: [String]

    init(_ domains: [String]) {
        self.domains = domains.map { $0.lowercased() }
    }

    func contains(address: String) -> Bool {
        guard let at = address.lastIndex(of: "@") else { return false }
        let domain = address[address.index(after: at)...]
        return domains.contains { domain == $0 || domain.hasSuffix("." + $0) }
    }
}
