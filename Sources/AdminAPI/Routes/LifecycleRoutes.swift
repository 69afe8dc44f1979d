import Engagement
import Foundation
import Hummingbird
import Platform

/// The enrichment lifecycle: directory, configuration, consent, runs and their progress.
struct LifecycleRoutes {
    let services: AppServices

    var platform: Platform { services.platform }

    func register(tenant: RouterGroup<TenantRequestContext>, environment: RouterGroup<EnvironmentRequestContext>) {
        tenant.get("directory", use: directory)
        tenant.put("directory", use: replaceDirectory)
        tenant.get("consent", use: consent)
        tenant.post("consent", use: decide)
        tenant.delete("consent", use: withdraw)
        environment.get("enrichment", use: enrichment)
        environment.put("enrichment", use: saveEnrichment)
        environment.get("enrichment/users", use: users)
        environment.get("runs", use: runs)
        environment.post("runs", use: runNow)
        environment.get("runs/{run}", use: run)
    }

    // MARK: - Directory

    @Sendable func directory(_ request: Request, context: TenantRequestContext) async throws -> Response {
        try context.authorize(.manageDirectory)
        return try json(try await platform.directory.load(tenant: context.tenantID))
    }

    /// Replaces the tenant's directory: `{"users": [{id, mail, user_principal_name, display_name}], "groups": [{id, display_name, mail, members}]}`.
    @Sendable func replaceDirectory(_ request: Request, context: TenantRequestContext) async throws -> Response {
        try context.authorize(.manageDirectory)
        let body = try await RequestBody.read(request, limit: services.maximumActivityBytes, allowed: ["users", "groups"])
        let users = try body.objects("users").enumerated().map { index, item in
            let field = "users[\(index)]"
            try item.only(["id", "mail", "user_principal_name", "display_name"], field: field)
            return Directory.User(
                id: try item.string("id", field: field), mail: try item.optionalEmail("mail", field: field),
                userPrincipalName: try item.optionalEmail("user_principal_name", field: field),
                displayName: try item.optionalString("display_name", field: field))
        }
        let groups = try (body.has("groups") ? body.objects("groups") : []).enumerated().map { index, item in
            let field = "groups[\(index)]"
            try item.only(["id", "display_name", "mail", "members"], field: field)
            return Directory.Group(
                id: try item.string("id", field: field), displayName: try item.optionalString("display_name", field: field),
                mail: try item.optionalEmail("mail", field: field), members: try item.stringArray("members", field: field))
        }
        let directory = Directory(users: users, groups: groups)
        try await platform.directory.replace(tenant: context.tenantID, with: directory)
        try await platform.control.pool.withTransaction { connection in
            try await platform.control.audit(
                connection, tenant: context.tenantID, caller: context.caller, action: "directory.replace", target: "tenant/\(context.tenantID)/directory",
                details: ["users": "\(users.count)", "groups": "\(groups.count)"])
        }
        return try json(["users": users.count, "groups": groups.count])
    }

    // MARK: - Enrichment

    struct EnrichmentView: Encodable {
        var configuration: EnrichmentConfiguration?
        var mailboxCount: Int
        var nextRunAt: Date?
        var consent: ConsentState
        var activeRun: RunRecord?
    }

    @Sendable func enrichment(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        let stored = try await platform.enrichments.configuration(tenant: context.tenantID, environment: context.environment.id)
        return try json(
            EnrichmentView(
                configuration: stored?.configuration, mailboxCount: stored?.mailboxCount ?? 0, nextRunAt: stored?.nextRunAt,
                consent: try await platform.consent.state(tenant: context.tenantID),
                activeRun: try await platform.runs.active(tenant: context.tenantID, environment: context.environment.id)))
    }

    /// Saves the configuration (admin); 422 naming the count, unknown groups, invalid or foreign addresses, or failed checks.
    @Sendable func saveEnrichment(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        let body = try await RequestBody.read(
            request, limit: services.maximumBodyBytes,
            allowed: ["name", "addresses", "groups", "agreed", "dataset", "email_field", "schedule", "weights", "rules", "export_levels"])
        guard let agreed = body.object["agreed"]?.boolValue else {
            throw ServiceError(.invalid, "must be true or false", field: "agreed")
        }
        var configuration = EnrichmentConfiguration(
            name: try body.string("name"), addresses: body.has("addresses") ? try body.stringArray("addresses") : [],
            groups: body.has("groups") ? try body.stringArray("groups") : [], agreed: agreed,
            dataset: try body.optionalString("dataset") ?? "business_accounts", emailField: try body.string("email_field"),
            schedule: body.has("schedule") ? try body.choice("schedule", EnrichmentConfiguration.Schedule.self) : .weekly)
        if body.has("weights") { configuration.weights = try body.decode("weights", ScoreWeightsInput.self, keys: ScoreWeightsInput.keys).weights }
        if body.has("rules") { configuration.rules = try body.decode("rules", NoiseRulesInput.self, keys: NoiseRulesInput.keys).rules }
        if body.has("export_levels") { configuration.exportLevels = try Self.exportLevels(try body.stringArray("export_levels")) }
        do {
            let outcome = try await platform.saveEnrichment(
                tenant: context.tenantID, environment: context.environment.id, configuration, by: context.caller)
            return try json(outcome)
        } catch let rejection as ConfigurationRejection {
            return try json(RejectionResponse(rejection), status: .unprocessableContent)
        }
    }

    /// The levels to export to Dataverse: each of `Year`, `Month`, `Week` at most once, in the product's order.
    static func exportLevels(_ levels: [String]) throws -> [String] {
        for level in levels where !EnrichmentConfiguration.levels.contains(level) {
            throw ServiceError(.invalid, "\"\(level)\" is not a level; use Year, Month or Week", field: "export_levels")
        }
        guard Set(levels).count == levels.count else { throw ServiceError(.invalid, "names a level twice", field: "export_levels") }
        return EnrichmentConfiguration.levels.filter(levels.contains)
    }

    struct RejectionResponse: Encodable {
        var error: [String: String]
        var resolvedCount: Int
        var unknownGroups: [String]
        var invalidAddresses: [String]
        var foreignAddresses: [String]
        var failedChecks: [String]

        init(_ rejection: ConfigurationRejection) {
            error = ["code": "unprocessable", "message": rejection.message, "field": rejection.failedChecks.isEmpty ? "addresses" : "prerequisites"]
            resolvedCount = rejection.resolvedCount
            unknownGroups = rejection.unknownGroups
            invalidAddresses = rejection.invalidAddresses
            foreignAddresses = rejection.foreignAddresses
            failedChecks = rejection.failedChecks
        }
    }

    /// The selected mailboxes with their directory ids: the seed's `Office_UserEntity`.
    @Sendable func users(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        let mailboxes = try await platform.enrichments.mailboxes(tenant: context.tenantID, environment: context.environment.id)
        return try json(["Office_UserEntity": mailboxes.map { ["Email": $0.address, "DirectoryId": $0.directoryID] }], encoder: .columns)
    }

    // MARK: - Consent

    @Sendable func consent(_ request: Request, context: TenantRequestContext) async throws -> Response {
        try json(try await platform.consent.state(tenant: context.tenantID))
    }

    /// The Office 365 administrator grants or refuses in the console: `{"decision": "grant"|"refuse", "reason": …}`.
    @Sendable func decide(_ request: Request, context: TenantRequestContext) async throws -> Response {
        let body = try await RequestBody.read(request, limit: services.maximumBodyBytes, allowed: ["decision", "reason"])
        let decision = try body.string("decision")
        guard decision == "grant" || decision == "refuse" else { throw ServiceError(.invalid, "must be grant or refuse", field: "decision") }
        try await platform.decideConsent(tenant: context.tenantID, grant: decision == "grant", reason: try body.optionalString("reason"), by: context.caller)
        return try json(try await platform.consent.state(tenant: context.tenantID))
    }

    /// Withdraws consent: schedules stop, runs are cancelled, activity and results are deleted in every region.
    @Sendable func withdraw(_ request: Request, context: TenantRequestContext) async throws -> Response {
        try json(try await platform.withdrawConsent(tenant: context.tenantID, by: context.caller))
    }

    // MARK: - Runs

    @Sendable func runs(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        try json(["runs": try await platform.runs.runs(tenant: context.tenantID, environment: context.environment.id)])
    }

    @Sendable func runNow(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        try json(try await platform.runNow(tenant: context.tenantID, environment: context.environment.id, by: context.caller), status: .accepted)
    }

    /// One run with its steps: the progress details pane.
    @Sendable func run(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        guard let run = try await platform.runs.run(tenant: context.tenantID, id: try context.id("run", "run")),
            run.environmentID == context.environment.id
        else { throw ServiceError.notFound("run") }
        return try json(run)
    }
}
