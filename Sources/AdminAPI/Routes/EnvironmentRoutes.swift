import Engagement
import Foundation
import Hummingbird
import Platform

/// Environments, their Dataverse attachment, their webhook and their prerequisite checklist.
struct EnvironmentRoutes {
    let platform: Platform
    let maximumBodyBytes: Int

    var control: TenantStore { platform.control }

    func register(tenant: RouterGroup<TenantRequestContext>, environment: RouterGroup<EnvironmentRequestContext>) {
        tenant.get("environments", use: list)
        tenant.post("environments", use: create)
        environment.get(use: get)
        environment.patch(use: rename)
        environment.get("dataverse", use: dataverse)
        environment.put("dataverse", use: attach)
        environment.delete("dataverse", use: detach)
        environment.get("webhook", use: webhook)
        environment.put("webhook", use: saveWebhook)
        environment.delete("webhook", use: deleteWebhook)
        environment.get("prerequisites", use: prerequisites)
    }

    /// The environments the caller holds a role on.
    @Sendable func list(_ request: Request, context: TenantRequestContext) async throws -> Response {
        let visible = try await control.environments(tenant: context.tenantID).filter {
            context.caller.may(.readEnvironment, in: context.tenantID, on: $0.id)
        }
        return try json(["environments": visible])
    }

    @Sendable func create(_ request: Request, context: TenantRequestContext) async throws -> Response {
        try context.authorize(.createEnvironment)
        let body = try await RequestBody.read(request, limit: maximumBodyBytes, allowed: ["name", "region", "profile_type"])
        let profile = body.has("profile_type") ? try body.choice("profile_type", Environment.ProfileType.self) : .businessAccounts
        let environment = try await platform.createEnvironment(
            tenant: context.tenantID, name: try body.string("name"), region: try body.choice("region", Region.self),
            profileType: profile, by: context.caller)
        return try json(environment, status: .created)
    }

    @Sendable func get(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        try json(context.environment)
    }

    /// Renames; the region cannot change (its data lives in that region's database).
    @Sendable func rename(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        try context.authorize(.administerEnvironment)
        let body = try await RequestBody.read(request, limit: maximumBodyBytes, allowed: ["name", "region"])
        if body.has("region"), try body.string("region") != context.environment.region.rawValue {
            throw ServiceError(.invalid, "the region of an environment cannot change", field: "region")
        }
        let renamed = try await control.renameEnvironment(
            tenant: context.tenantID, id: context.environment.id, name: try body.string("name"), by: context.caller)
        return try json(renamed)
    }

    @Sendable func dataverse(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        let history = try await control.dataverseHistory(tenant: context.tenantID, environment: context.environment.id)
        return try json(DataverseView(current: history.first { $0.detachedAt == nil }, history: history))
    }

    @Sendable func attach(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        try context.authorize(.administerEnvironment)
        let body = try await RequestBody.read(request, limit: maximumBodyBytes, allowed: ["organization_url", "organization_id"])
        let url = try body.string("organization_url")
        let organization = try body.uuid("organization_id")
        let attachment = try await control.attachDataverse(
            tenant: context.tenantID, environment: context.environment.id, organizationURL: url, organizationID: organization,
            by: context.caller)
        return try json(attachment)
    }

    @Sendable func detach(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        try context.authorize(.administerEnvironment)
        try await control.detachDataverse(tenant: context.tenantID, environment: context.environment.id, by: context.caller)
        return Response(status: .noContent)
    }

    /// The environment's webhook (without its secret); 404 when none is set.
    @Sendable func webhook(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        try context.authorize(.administerEnvironment)
        guard let webhook = try await platform.webhooks.webhook(tenant: context.tenantID, environment: context.environment.id) else {
            throw ServiceError.notFound("webhook")
        }
        return try json(webhook)
    }

    /// Sets or replaces the webhook; the answer carries the new signing secret, the only time it is shown.
    @Sendable func saveWebhook(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        try context.authorize(.administerEnvironment)
        let body = try await RequestBody.read(request, limit: maximumBodyBytes, allowed: ["url"])
        let saved = try await platform.webhooks.save(
            tenant: context.tenantID, environment: context.environment.id, url: try body.string("url"), by: context.caller)
        return try json(SavedWebhook(webhook: saved.webhook, secret: saved.secret))
    }

    @Sendable func deleteWebhook(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        try context.authorize(.administerEnvironment)
        try await platform.webhooks.delete(tenant: context.tenantID, environment: context.environment.id, by: context.caller)
        return Response(status: .noContent)
    }

    /// The five checks, for the calling principal.
    @Sendable func prerequisites(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        let results = try await platform.prerequisites.check(
            tenant: context.tenantID, environment: context.environment.id, caller: context.caller, at: platform.now())
        return try json(PrerequisiteReport(checks: results))
    }
}
