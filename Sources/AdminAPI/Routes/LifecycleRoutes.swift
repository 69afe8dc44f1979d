import Engagement
import Foundation
import Hummingbird
import Platform

/// The enrichment lifecycle: directory, configuration, consent, runs and their progress, the outbox.
struct LifecycleRoutes {
    let services: AppServices
    let environments: EnvironmentRoutes

    var platform: Platform { services.platform }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("tenants/{tenant}/directory", use: directory)
        group.put("tenants/{tenant}/directory", use: replaceDirectory)
        group.get("tenants/{tenant}/environments/{environment}/enrichment", use: enrichment)
        group.put("tenants/{tenant}/environments/{environment}/enrichment", use: saveEnrichment)
        group.get("tenants/{tenant}/environments/{environment}/enrichment/users", use: users)
        group.get("tenants/{tenant}/consent", use: consent)
        group.post("tenants/{tenant}/consent", use: decide)
        group.delete("tenants/{tenant}/consent", use: withdraw)
        group.get("tenants/{tenant}/environments/{environment}/runs", use: runs)
        group.post("tenants/{tenant}/environments/{environment}/runs", use: runNow)
        group.get("tenants/{tenant}/environments/{environment}/runs/{run}", use: run)
        group.get("outbox", use: outbox)
    }

    // MARK: - Directory

    @Sendable func directory(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, caller) = try context.tenantCaller()
        try caller.requireOwner()
        return try json(try await platform.directory.load(tenant: tenant))
    }

    /// Replaces the tenant's directory: `{"users": [{id, mail, user_principal_name, display_name}], "groups": [{id, display_name, mail, members}]}`.
    @Sendable func replaceDirectory(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, caller) = try context.tenantCaller()
        try caller.requireOwner()
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
        try await platform.directory.replace(tenant: tenant, with: directory)
        try await platform.control.pool.withTransaction { connection in
            try await platform.control.audit(
                connection, tenant: tenant, caller: caller, action: "directory.replace", target: "tenant/\(tenant)/directory",
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

    @Sendable func enrichment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (environment, _) = try await environments.environment(context)
        let stored = try await platform.enrichments.configuration(tenant: environment.tenantID, environment: environment.id)
        return try json(
            EnrichmentView(
                configuration: stored?.configuration, mailboxCount: stored?.mailboxCount ?? 0, nextRunAt: stored?.nextRunAt,
                consent: try await platform.consent.state(tenant: environment.tenantID),
                activeRun: try await platform.runs.active(tenant: environment.tenantID, environment: environment.id)))
    }

    /// Saves the configuration (admin); 422 naming the count, unknown groups, invalid or foreign addresses, or failed checks.
    @Sendable func saveEnrichment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (environment, caller) = try await environments.environment(context)
        let body = try await RequestBody.read(
            request, limit: services.maximumBodyBytes,
            allowed: ["name", "addresses", "groups", "agreed", "dataset", "email_field", "schedule", "weights", "rules"])
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
        do {
            let outcome = try await platform.saveEnrichment(
                tenant: environment.tenantID, environment: environment.id, configuration, by: caller)
            return try json(outcome)
        } catch let rejection as ConfigurationRejection {
            return try json(RejectionResponse(rejection), status: .unprocessableContent)
        }
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
    @Sendable func users(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (environment, _) = try await environments.environment(context)
        let mailboxes = try await platform.enrichments.mailboxes(tenant: environment.tenantID, environment: environment.id)
        return try json(["Office_UserEntity": mailboxes.map { ["Email": $0.address, "DirectoryId": $0.directoryID] }], encoder: .columns)
    }

    // MARK: - Consent

    @Sendable func consent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, _) = try context.tenantCaller()
        return try json(try await platform.consent.state(tenant: tenant))
    }

    /// The Office 365 administrator grants or refuses in the console: `{"decision": "grant"|"refuse", "reason": …}`.
    @Sendable func decide(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, caller) = try context.tenantCaller()
        let body = try await RequestBody.read(request, limit: services.maximumBodyBytes, allowed: ["decision", "reason"])
        let decision = try body.string("decision")
        guard decision == "grant" || decision == "refuse" else { throw ServiceError(.invalid, "must be grant or refuse", field: "decision") }
        try await platform.decideConsent(tenant: tenant, grant: decision == "grant", reason: try body.optionalString("reason"), by: caller)
        return try json(try await platform.consent.state(tenant: tenant))
    }

    /// Withdraws consent: schedules stop, runs are cancelled, activity and results are deleted in every region.
    @Sendable func withdraw(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, caller) = try context.tenantCaller()
        return try json(try await platform.withdrawConsent(tenant: tenant, by: caller))
    }

    // MARK: - Runs

    @Sendable func runs(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (environment, _) = try await environments.environment(context)
        return try json(["runs": try await platform.runs.runs(tenant: environment.tenantID, environment: environment.id)])
    }

    @Sendable func runNow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (environment, caller) = try await environments.environment(context)
        return try json(try await platform.runNow(tenant: environment.tenantID, environment: environment.id, by: caller), status: .accepted)
    }

    /// One run with its steps: the progress details pane.
    @Sendable func run(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (environment, _) = try await environments.environment(context)
        guard let run = try await platform.runs.run(tenant: environment.tenantID, id: try context.id("run", "run")),
            run.environmentID == environment.id
        else { throw ServiceError.notFound("run") }
        return try json(run)
    }

    // MARK: - Outbox

    /// The mail outbox, for platform operators: `?pending=true` for unsent mail only.
    @Sendable func outbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.requireCaller().requireOperator()
        let pending = request.uri.queryParameters.get("pending") == "true"
        return try json(["messages": try await platform.outbox.list(pendingOnly: pending)])
    }
}
