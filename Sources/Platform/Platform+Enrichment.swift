import Engagement
import Foundation
import Postgres

extension Platform {
    /// What saving an enrichment did.
    public struct SaveOutcome: Sendable, Codable {
        public var enrichment: StoredEnrichment
        public var consent: ConsentState
        /// Set when saving sent a consent request (consent was not granted yet).
        public var consentRequested: Bool
    }

    /// Validates, resolves and saves an environment's enrichment (admin role), and asks for consent when needed.
    ///
    /// Nothing is saved when the agreement is missing, the addresses and groups
    /// do not resolve to 2–2,500 mailboxes of the tenant's own domains, or a
    /// prerequisite fails; the `ConfigurationRejection` names every problem.
    public func saveEnrichment(
        tenant tenantID: UUID, environment environmentID: UUID, _ configuration: EnrichmentConfiguration, by caller: Caller
    ) async throws -> SaveOutcome {
        let environment = try await control.environment(tenant: tenantID, id: environmentID)
        try caller.authorize(.administerEnvironment, in: tenantID, on: environment.id)
        var configuration = configuration
        configuration.name = try Validation.name(configuration.name, field: "name")
        guard configuration.agreed else {
            throw ServiceError(.invalid, "the agreement must be accepted (\"I agree\") to save the enrichment", field: "agreed")
        }
        guard configuration.dataset == "business_accounts" else {
            throw ServiceError(.invalid, "only the business_accounts dataset can be enriched", field: "dataset")
        }
        configuration.emailField = configuration.emailField.trimmingCharacters(in: .whitespaces).lowercased()
        guard !configuration.emailField.isEmpty else { throw ServiceError(.invalid, "is required", field: "email_field") }
        try Self.validate(configuration.rules)
        try Self.validate(configuration.weights)
        configuration.rules.excludedAddresses = Set(try configuration.rules.excludedAddresses.map {
            try Validation.email($0, field: "rules.excluded_addresses").lowercased()
        })
        configuration.rules.excludedDomains = Set(try configuration.rules.excludedDomains.map {
            try Validation.domain($0, field: "rules.excluded_domains")
        })
        let tenant = try await control.tenant(tenantID)
        let mailboxes = try EnrichmentStore.resolve(
            configuration, directory: try await directory.load(tenant: tenantID), tenantDomains: tenant.emailDomains)
        let checks = try await prerequisites.check(tenant: tenantID, environment: environmentID, caller: caller, at: now(), probing: false)
        // A refusal does not block saving: saving is how consent is asked for again.
        let refused: Bool
        if case .refused = try await consentForPrerequisites(tenant: tenantID) { refused = true } else { refused = false }
        let failed = checks.filter {
            $0.status == .failed && !(refused && $0.id == "tenant_consent") && !Prerequisites.advisory.contains($0.id)
        }
        guard failed.isEmpty else {
            throw ConfigurationRejection(
                message: "prerequisites failed: " + failed.map { "\($0.id) (\($0.detail))" }.joined(separator: "; "),
                resolvedCount: mailboxes.count, unknownGroups: [], invalidAddresses: [], foreignAddresses: [],
                failedChecks: failed.map(\.id))
        }
        let moment = now()
        let consentStore = consent
        let requested = try await control.pool.withTransaction { connection -> Bool in
            try await enrichments.save(
                tenant: tenantID, environment: environmentID, configuration, mailboxes: mailboxes, at: moment, in: connection)
            try await control.audit(
                connection, tenant: tenantID, caller: caller, action: "enrichment.save", target: "environment/\(environmentID)/enrichment",
                details: ["name": configuration.name, "mailboxes": "\(mailboxes.count)", "schedule": configuration.schedule.rawValue])
            let link = try await consentStore.request(
                tenant: tenantID, environmentName: environment.name, by: caller, control: control, at: moment, in: connection)
            return link != nil
        }
        guard let stored = try await enrichments.configuration(tenant: tenantID, environment: environmentID) else {
            throw ServiceError.notFound("enrichment")
        }
        return SaveOutcome(enrichment: stored, consent: try await consentStore.state(tenant: tenantID), consentRequested: requested)
    }

    /// The largest weight an admin may give one component of the score.
    public static let maximumWeight = 100.0

    static func validate(_ rules: NoiseRules) throws {
        guard (1...10_000).contains(rules.maximumAttendees) else {
            throw ServiceError(.invalid, "must be 1 to 10000", field: "rules.maximum_attendees")
        }
        guard (1...744).contains(rules.maximumMeetingHours) else {
            throw ServiceError(.invalid, "must be 1 to 744 (a month)", field: "rules.maximum_meeting_hours")
        }
        guard rules.excludedAddresses.count <= 10_000 else { throw ServiceError(.invalid, "at most 10000 addresses", field: "rules.excluded_addresses") }
        guard rules.excludedDomains.count <= 10_000 else { throw ServiceError(.invalid, "at most 10000 domains", field: "rules.excluded_domains") }
    }

    /// Each weight is 0 to `maximumWeight`; the recency half-life 1 to 3,650 days.
    static func validate(_ weights: ScoreWeights) throws {
        let components: [(String, Double)] = [
            ("emails_to_account", weights.emailsToAccount), ("emails_from_account", weights.emailsFromAccount),
            ("meetings_to_account", weights.meetingsToAccount), ("meetings_from_account", weights.meetingsFromAccount),
            ("meeting_hours", weights.meetingHours), ("internal_breadth", weights.internalBreadth),
            ("account_breadth", weights.accountBreadth), ("reciprocity", weights.reciprocity), ("reply_latency", weights.replyLatency),
        ]
        for (name, value) in components where !(value.isFinite && (0...maximumWeight).contains(value)) {
            throw ServiceError(.invalid, "must be a number from 0 to \(Int(maximumWeight))", field: "weights.\(name)")
        }
        guard weights.recencyHalfLifeDays.isFinite, (1...3650).contains(weights.recencyHalfLifeDays) else {
            throw ServiceError(.invalid, "must be 1 to 3650 days", field: "weights.recency_half_life_days")
        }
    }

    /// "Run now": queues a run at once; a conflict while one is queued or running.
    ///
    /// `asOf`, a past moment, makes the run's one-year window end there instead of now
    /// (`rapport-dev demo` runs as of the generated organization's day).
    public func runNow(tenant: UUID, environment environmentID: UUID, asOf: Date? = nil, by caller: Caller) async throws -> RunRecord {
        let environment = try await control.environment(tenant: tenant, id: environmentID)
        try caller.authorize(.administerEnvironment, in: environment.tenantID, on: environment.id)
        guard try await enrichments.configuration(tenant: tenant, environment: environmentID) != nil else {
            throw ServiceError(.unprocessable, "configure the enrichment before running it")
        }
        guard try await consent.state(tenant: tenant).isGranted else {
            throw ServiceError(.unprocessable, "the Office 365 administrator has not granted consent; nothing is collected before a grant", field: "tenant_consent")
        }
        let moment = now()
        if let asOf, asOf > moment { throw ServiceError(.invalid, "must not be in the future", field: "as_of") }
        let run = try await runs.enqueue(
            tenant: tenant, environment: environmentID, region: environment.region, trigger: .manual, scheduledFor: asOf ?? moment, at: moment)
        try await control.pool.withTransaction { connection in
            try await control.audit(
                connection, tenant: tenant, caller: caller, action: "run.request", target: "environment/\(environmentID)/runs/\(run.id)")
        }
        return run
    }

    /// What a withdrawal removed.
    public struct WithdrawalReport: Sendable, Codable, Equatable {
        public var runsCancelled: Int
        /// Rows deleted per region database and table.
        public var deleted: [String: [String: Int]]
    }

    /// Withdraws consent: schedules stop, runs are cancelled, and the tenant's
    /// activity and results are deleted from every region database.
    public func withdrawConsent(tenant: UUID, by caller: Caller) async throws -> WithdrawalReport {
        try caller.authorize(.decideConsent, in: tenant)
        let cancelled = try await consent.withdraw(tenant: tenant, by: caller, control: control, at: now())
        var deleted: [String: [String: Int]] = [:]
        for (region, database) in regions.byRegion.sorted(by: { $0.key < $1.key }) {
            deleted[region.rawValue] = try await database.withTenant(tenant) { connection in
                var counts: [String: Int] = [:]
                // graph_*: the Graph connector's resume points go too, so a later grant starts from a full sync (issue 8).
                for table in ["account_engagement", "current_result", "enrichment_run", "email_signal", "meeting_signal", "graph_sync_state", "graph_event_item"] {
                    counts[table] = try await connection.execute("DELETE FROM \(identifier: table) WHERE tenant_id = \(tenant)")
                }
                return counts
            }
        }
        return WithdrawalReport(runsCancelled: cancelled, deleted: deleted)
    }
}
