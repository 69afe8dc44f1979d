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
                                    requested_addresses, requested_groups, created_at, updated_at)
            VALUES (\(tenant), \(environment), \(configuration.name), \(configuration.agreed), \(configuration.dataset),
                    \(configuration.emailField), \(configuration.schedule.rawValue), \(PostgresJSON(configuration.weights)),
                    \(PostgresJSON(configuration.rules)), \(configuration.addresses), \(configuration.groups), \(moment), \(moment))
            ON CONFLICT (tenant_id, environment_id) DO UPDATE SET
                name = excluded.name, agreed = excluded.agreed, dataset = excluded.dataset, email_field = excluded.email_field,
                schedule = excluded.schedule, weights = excluded.weights, rules = excluded.rules,
                requested_addresses = excluded.requested_addresses, requested_groups = excluded.requested_groups,
                updated_at = excluded.updated_at,
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
            """
            SELECT name, agreed, dataset, email_field, schedule, weights, rules, requested_addresses, requested_groups,
                   next_run_at, updated_at,
                   (SELECT count(*) FROM enrichment_mailbox m WHERE m.tenant_id = e.tenant_id AND m.environment_id = e.environment_id)
            FROM enrichment e WHERE tenant_id = \(tenant) AND environment_id = \(environment)
            """)
        guard let row = rows.first else { return nil }
        let configuration = EnrichmentConfiguration(
            name: try row.decode(String.self, at: 0), addresses: try row.decode([String].self, at: 7),
            groups: try row.decode([String].self, at: 8), agreed: try row.decode(Bool.self, at: 1),
            dataset: try row.decode(String.self, at: 2), emailField: try row.decode(String.self, at: 3),
            schedule: EnrichmentConfiguration.Schedule(rawValue: try row.decode(String.self, at: 4)) ?? .weekly,
            weights: try row.decode(PostgresJSON<ScoreWeights>.self, at: 5).value,
            rules: try row.decode(PostgresJSON<NoiseRules>.self, at: 6).value)
        return StoredEnrichment(
            configuration: configuration, mailboxCount: try row.decode(Int.self, at: 11),
            nextRunAt: try row.decode(Date?.self, at: 9), updatedAt: try row.decode(Date.self, at: 10))
    }

    /// The resolved mailboxes with their directory ids.
    public func mailboxes(tenant: UUID, environment: UUID) async throws -> [SelectedMailbox] {
        try await pool.query(
            "SELECT address, directory_id FROM enrichment_mailbox WHERE tenant_id = \(tenant) AND environment_id = \(environment) ORDER BY address"
        ).map { row in
            let (address, id) = try row.decode((String, String?).self)
            return SelectedMailbox(address: address, directoryID: id)
        }
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
