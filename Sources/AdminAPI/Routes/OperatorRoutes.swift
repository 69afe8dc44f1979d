import Foundation
import Hummingbird
import Platform

/// Platform operator routes: create and list tenants, bootstrap a tenant's owner, read the mail outbox.
struct OperatorRoutes {
    let platform: Platform
    let maximumBodyBytes: Int

    var control: TenantStore { platform.control }

    func register(on v1: RouterGroup<AppRequestContext>) {
        let tenants = v1.group("tenants")
        tenants.post(use: createTenant)
        tenants.get(use: listTenants)
        // Not in the tenant group: an operator belongs to no tenant.
        tenants.post("{tenant}/bootstrap", use: bootstrap)
        v1.get("outbox", use: outbox)
    }

    /// The caller, who must be a platform operator.
    func operatorCaller(_ context: AppRequestContext) throws -> Caller {
        let caller = try context.requireCaller()
        try caller.authorize(.operatePlatform)
        return caller
    }

    @Sendable func createTenant(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try operatorCaller(context)
        let body = try await RequestBody.read(request, limit: maximumBodyBytes, allowed: ["name", "email_domains"])
        let tenant = try await control.createTenant(
            name: try body.string("name"), emailDomains: try body.stringArray("email_domains"), by: caller)
        return try json(tenant, status: .created)
    }

    @Sendable func listTenants(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try operatorCaller(context)
        return try json(["tenants": try await control.listTenants()])
    }

    /// Creates the tenant's first owner and a key for it; the key is in the response, once.
    @Sendable func bootstrap(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try operatorCaller(context)
        let tenant = try context.id("tenant", "tenant")
        let body = try await RequestBody.read(request, limit: maximumBodyBytes, allowed: ["display_name", "email"])
        _ = try await control.tenant(tenant)
        let owner = try await control.createPrincipal(
            tenant: tenant, displayName: try body.string("display_name"), email: try body.optionalString("email"), by: caller)
        _ = try await control.assignRole(
            tenant: tenant, principal: owner.id, role: .owner, environment: nil, notifyEmail: nil, by: caller)
        let (record, key) = try await control.createKey(tenant: tenant, principal: owner.id, name: "bootstrap", by: caller)
        return try json(CreatedKey(principal: owner, key: record, secret: key.plaintext), status: .created)
    }

    /// The mail outbox: `?pending=true` for unsent mail only.
    @Sendable func outbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try operatorCaller(context)
        let pending = request.uri.queryParameters.get("pending") == "true"
        return try json(["messages": try await platform.outbox.list(pendingOnly: pending)])
    }
}
