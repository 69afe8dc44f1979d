import Engagement
import Foundation
import Hummingbird
import Platform

/// Environments, their Dataverse attachment and their prerequisite checklist.
struct EnvironmentRoutes {
    let services: AppServices

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("tenants/{tenant}/environments", use: list)
        group.post("tenants/{tenant}/environments", use: create)
        group.get("tenants/{tenant}/environments/{environment}", use: get)
        group.patch("tenants/{tenant}/environments/{environment}", use: rename)
        group.get("tenants/{tenant}/environments/{environment}/dataverse", use: dataverse)
        group.put("tenants/{tenant}/environments/{environment}/dataverse", use: attach)
        group.delete("tenants/{tenant}/environments/{environment}/dataverse", use: detach)
        group.get("tenants/{tenant}/environments/{environment}/prerequisites", use: prerequisites)
    }

    /// The environment of the path, which the caller must be able to see.
    func environment(_ context: AppRequestContext) async throws -> (Environment, Caller) {
        let (tenant, caller) = try context.tenantCaller()
        let environment = try await services.control.environment(tenant: tenant, id: try context.id("environment", "environment"))
        guard caller.canSee(environment: environment.id) else {
            throw ServiceError(.forbidden, "this needs a role on the environment")
        }
        return (environment, caller)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, caller) = try context.tenantCaller()
        let visible = try await services.control.environments(tenant: tenant).filter { caller.canSee(environment: $0.id) }
        return try json(["environments": visible])
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, caller) = try context.tenantCaller()
        try caller.requireOwner()
        let body = try await RequestBody.read(request, limit: services.maximumBodyBytes, allowed: ["name", "region", "profile_type"])
        let profile = body.has("profile_type") ? try body.choice("profile_type", Environment.ProfileType.self) : .businessAccounts
        let environment = try await services.platform.createEnvironment(
            tenant: tenant, name: try body.string("name"), region: try body.choice("region", Region.self),
            profileType: profile, by: caller)
        return try json(environment, status: .created)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        try json(try await environment(context).0)
    }

    /// Renames; the region cannot change (its data lives in that region's database).
    @Sendable func rename(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (environment, caller) = try await environment(context)
        try caller.require(.admin, on: environment.id)
        let body = try await RequestBody.read(request, limit: services.maximumBodyBytes, allowed: ["name", "region"])
        if body.has("region"), try body.string("region") != environment.region.rawValue {
            throw ServiceError(.invalid, "the region of an environment cannot change", field: "region")
        }
        let renamed = try await services.control.renameEnvironment(
            tenant: environment.tenantID, id: environment.id, name: try body.string("name"), by: caller)
        return try json(renamed)
    }

    @Sendable func dataverse(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (environment, _) = try await environment(context)
        let history = try await services.control.dataverseHistory(tenant: environment.tenantID, environment: environment.id)
        return try json(DataverseView(current: history.first { $0.detachedAt == nil }, history: history))
    }

    @Sendable func attach(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (environment, caller) = try await environment(context)
        try caller.require(.admin, on: environment.id)
        let body = try await RequestBody.read(
            request, limit: services.maximumBodyBytes, allowed: ["organization_url", "organization_id"])
        let url = try body.string("organization_url")
        let organization = try body.uuid("organization_id")
        let attachment = try await services.control.attachDataverse(
            tenant: environment.tenantID, environment: environment.id, organizationURL: url, organizationID: organization, by: caller)
        return try json(attachment)
    }

    @Sendable func detach(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (environment, caller) = try await environment(context)
        try caller.require(.admin, on: environment.id)
        try await services.control.detachDataverse(tenant: environment.tenantID, environment: environment.id, by: caller)
        return Response(status: .noContent)
    }

    @Sendable func prerequisites(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (environment, caller) = try await environment(context)
        let results = try await services.prerequisites.check(
            tenant: environment.tenantID, environment: environment.id, caller: caller, at: services.now())
        return try json(PrerequisiteReport(checks: results))
    }
}

struct DataverseView: Encodable {
    var current: DataverseAttachment?
    var history: [DataverseAttachment]
}

struct PrerequisiteReport: Encodable {
    var checks: [PrerequisiteResult]
    var passed: Bool

    init(checks: [PrerequisiteResult]) {
        self.checks = checks
        passed = checks.allSatisfy { $0.status == .passed }
    }
}
