import Engagement
import Foundation
import Hummingbird
import Platform

/// The tenant itself, its licence, principals, roles, keys and audit log.
struct TenantRoutes {
    let services: AppServices

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("tenants/{tenant}", use: tenant)
        group.get("tenants/{tenant}/licence", use: licence)
        group.put("tenants/{tenant}/licence", use: setLicence)
        group.get("tenants/{tenant}/principals", use: principals)
        group.post("tenants/{tenant}/principals", use: createPrincipal)
        group.get("tenants/{tenant}/role-assignments", use: roleAssignments)
        group.post("tenants/{tenant}/role-assignments", use: assignRole)
        group.delete("tenants/{tenant}/role-assignments/{assignment}", use: removeRoleAssignment)
        group.get("tenants/{tenant}/keys", use: keys)
        group.post("tenants/{tenant}/keys", use: createKey)
        group.delete("tenants/{tenant}/keys/{key}", use: revokeKey)
        group.get("tenants/{tenant}/audit", use: audit)
    }

    @Sendable func tenant(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, _) = try context.tenantCaller()
        return try json(try await services.control.tenant(tenant))
    }

    @Sendable func licence(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, _) = try context.tenantCaller()
        guard let licence = try await services.control.licence(tenant: tenant) else {
            throw ServiceError.notFound("licence")
        }
        return try json(LicenceView(licence, at: services.now()))
    }

    @Sendable func setLicence(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, caller) = try context.tenantCaller()
        try caller.requireOwner()
        let body = try await RequestBody.read(request, limit: services.maximumBodyBytes, allowed: ["status", "seats", "expires_on"])
        let licence = try await services.control.setLicence(
            tenant: tenant, status: try body.choice("status", Licence.Status.self), seats: try body.int("seats"),
            expiresOn: try body.day("expires_on"), by: caller)
        return try json(LicenceView(licence, at: services.now()))
    }

    @Sendable func principals(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, caller) = try context.tenantCaller()
        try caller.requireOwner()
        return try json(["principals": try await services.control.principals(tenant: tenant)])
    }

    @Sendable func createPrincipal(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, caller) = try context.tenantCaller()
        try caller.requireOwner()
        let body = try await RequestBody.read(request, limit: services.maximumBodyBytes, allowed: ["display_name", "email"])
        let principal = try await services.control.createPrincipal(
            tenant: tenant, displayName: try body.string("display_name"), email: try body.optionalString("email"), by: caller)
        return try json(principal, status: .created)
    }

    @Sendable func roleAssignments(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, caller) = try context.tenantCaller()
        try caller.requireOwner()
        return try json(["role_assignments": try await services.control.roleAssignments(tenant: tenant)])
    }

    @Sendable func assignRole(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, caller) = try context.tenantCaller()
        try caller.requireOwner()
        let body = try await RequestBody.read(
            request, limit: services.maximumBodyBytes, allowed: ["principal_id", "role", "environment_id", "notify_email"])
        let assignment = try await services.control.assignRole(
            tenant: tenant, principal: try body.uuid("principal_id"), role: try body.choice("role", Role.self),
            environment: try body.optionalUUID("environment_id"), notifyEmail: try body.optionalString("notify_email"), by: caller)
        return try json(assignment, status: .created)
    }

    @Sendable func removeRoleAssignment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, caller) = try context.tenantCaller()
        try caller.requireOwner()
        try await services.control.removeRoleAssignment(tenant: tenant, id: try context.id("assignment", "role assignment"), by: caller)
        return Response(status: .noContent)
    }

    @Sendable func keys(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, caller) = try context.tenantCaller()
        try caller.requireOwner()
        return try json(["keys": try await services.control.keys(tenant: tenant)])
    }

    @Sendable func createKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, caller) = try context.tenantCaller()
        try caller.requireOwner()
        let body = try await RequestBody.read(request, limit: services.maximumBodyBytes, allowed: ["principal_id", "name"])
        let (record, key) = try await services.control.createKey(
            tenant: tenant, principal: try body.uuid("principal_id"), name: try body.string("name"), by: caller)
        return try json(CreatedKey(principal: nil, key: record, secret: key.plaintext), status: .created)
    }

    @Sendable func revokeKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, caller) = try context.tenantCaller()
        try caller.requireOwner()
        try await services.control.revokeKey(tenant: tenant, id: try context.id("key", "key"), by: caller)
        return Response(status: .noContent)
    }

    /// `?after=<event id>&limit=<1…500>`; the response names the cursor of the next page.
    @Sendable func audit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, caller) = try context.tenantCaller()
        try caller.requireOwner()
        let after = try request.uri.queryParameters.get("after").map { text -> Int in
            guard let value = Int(text), value >= 0 else { throw ServiceError(.invalid, "must be a non-negative event id", field: "after") }
            return value
        } ?? 0
        let limit = try request.uri.queryParameters.get("limit").map { text -> Int in
            guard let value = Int(text), (1...500).contains(value) else { throw ServiceError(.invalid, "must be 1 to 500", field: "limit") }
            return value
        } ?? 100
        let events = try await services.control.auditEvents(tenant: tenant, after: after, limit: limit)
        return try json(AuditPage(events: events, nextAfter: events.count == limit ? events.last?.id : nil))
    }
}

struct AuditPage: Encodable {
    var events: [AuditEvent]
    /// Pass as `after` for the next page; null on the last page.
    var nextAfter: Int?
}

/// A licence with whether it counts as active now.
struct LicenceView: Encodable {
    var status: Licence.Status
    var seats: Int
    var expiresOn: String
    var updatedAt: Date
    var active: Bool

    init(_ licence: Licence, at moment: Date) {
        status = licence.status
        seats = licence.seats
        expiresOn = String(ISO8601DateFormatter.string(from: licence.expiresOn, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate]))
        updatedAt = licence.updatedAt
        active = licence.isActive(at: moment)
    }
}
