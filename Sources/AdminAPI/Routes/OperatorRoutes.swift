import Foundation
import Hummingbird
import Platform

/// Platform operator routes: create and list tenants, bootstrap a tenant's owner.
struct OperatorRoutes {
    let services: AppServices

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("tenants", use: createTenant)
        group.get("tenants", use: listTenants)
        group.post("tenants/{tenant}/bootstrap", use: bootstrap)
    }

    @Sendable func createTenant(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.requireOperator()
        let body = try await RequestBody.read(request, limit: services.maximumBodyBytes, allowed: ["name", "email_domains"])
        let tenant = try await services.control.createTenant(
            name: try body.string("name"), emailDomains: try body.stringArray("email_domains"), by: caller)
        return try json(tenant, status: .created)
    }

    @Sendable func listTenants(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.requireOperator()
        return try json(["tenants": try await services.control.listTenants()])
    }

    /// Creates the tenant's first owner and a key for it; the key is in the response, once.
    @Sendable func bootstrap(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.requireOperator()
        let tenant = try context.id("tenant", "tenant")
        let body = try await RequestBody.read(request, limit: services.maximumBodyBytes, allowed: ["display_name", "email"])
        _ = try await services.control.tenant(tenant)
        let owner = try await services.control.createPrincipal(
            tenant: tenant, displayName: try body.string("display_name"), email: try body.optionalString("email"), by: caller)
        _ = try await services.control.assignRole(
            tenant: tenant, principal: owner.id, role: .owner, environment: nil, notifyEmail: nil, by: caller)
        let (record, key) = try await services.control.createKey(tenant: tenant, principal: owner.id, name: "bootstrap", by: caller)
        return try json(CreatedKey(principal: owner, key: record, secret: key.plaintext), status: .created)
    }
}

/// A key as returned once at creation, secret included.
struct CreatedKey: Encodable {
    var principal: Principal?
    var key: KeyRecord
    /// The whole key; it is not stored and cannot be shown again.
    var secret: String
}
