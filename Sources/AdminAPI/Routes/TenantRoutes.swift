import Engagement
import Foundation
import Hummingbird
import Platform

/// The tenant itself, its licence, principals, roles, keys and audit log.
struct TenantRoutes {
    let platform: Platform
    let maximumBodyBytes: Int

    var control: TenantStore { platform.control }

    func register(on tenant: RouterGroup<TenantRequestContext>) {
        tenant.get(use: self.tenant)
        tenant.get("licence", use: licence)
        tenant.put("licence", use: setLicence)
        tenant.get("principals", use: principals)
        tenant.post("principals", use: createPrincipal)
        tenant.get("role-assignments", use: roleAssignments)
        tenant.post("role-assignments", use: assignRole)
        tenant.delete("role-assignments/{assignment}", use: removeRoleAssignment)
        tenant.get("keys", use: keys)
        tenant.post("keys", use: createKey)
        tenant.delete("keys/{key}", use: revokeKey)
        tenant.get("audit", use: audit)
    }

    @Sendable func tenant(_ request: Request, context: TenantRequestContext) async throws -> Response {
        try json(try await control.tenant(context.tenantID))
    }

    @Sendable func licence(_ request: Request, context: TenantRequestContext) async throws -> Response {
        guard let licence = try await control.licence(tenant: context.tenantID) else {
            throw ServiceError.notFound("licence")
        }
        return try json(LicenceView(licence, at: platform.now()))
    }

    @Sendable func setLicence(_ request: Request, context: TenantRequestContext) async throws -> Response {
        try context.authorize(.manageLicence)
        let body = try await RequestBody.read(request, limit: maximumBodyBytes, allowed: ["status", "seats", "expires_on"])
        let licence = try await control.setLicence(
            tenant: context.tenantID, status: try body.choice("status", Licence.Status.self), seats: try body.int("seats"),
            expiresOn: try body.day("expires_on"), by: context.caller)
        return try json(LicenceView(licence, at: platform.now()))
    }

    @Sendable func principals(_ request: Request, context: TenantRequestContext) async throws -> Response {
        try context.authorize(.manageAccess)
        return try json(["principals": try await control.principals(tenant: context.tenantID)])
    }

    @Sendable func createPrincipal(_ request: Request, context: TenantRequestContext) async throws -> Response {
        try context.authorize(.manageAccess)
        let body = try await RequestBody.read(request, limit: maximumBodyBytes, allowed: ["display_name", "email"])
        let principal = try await control.createPrincipal(
            tenant: context.tenantID, displayName: try body.string("display_name"), email: try body.optionalString("email"), by: context.caller)
        return try json(principal, status: .created)
    }

    @Sendable func roleAssignments(_ request: Request, context: TenantRequestContext) async throws -> Response {
        try context.authorize(.manageAccess)
        return try json(["role_assignments": try await control.roleAssignments(tenant: context.tenantID)])
    }

    @Sendable func assignRole(_ request: Request, context: TenantRequestContext) async throws -> Response {
        try context.authorize(.manageAccess)
        let body = try await RequestBody.read(
            request, limit: maximumBodyBytes, allowed: ["principal_id", "role", "environment_id", "notify_email"])
        let assignment = try await control.assignRole(
            tenant: context.tenantID, principal: try body.uuid("principal_id"), role: try body.choice("role", Role.self),
            environment: try body.optionalUUID("environment_id"), notifyEmail: try body.optionalString("notify_email"), by: context.caller)
        return try json(assignment, status: .created)
    }

    @Sendable func removeRoleAssignment(_ request: Request, context: TenantRequestContext) async throws -> Response {
        try context.authorize(.manageAccess)
        try await control.removeRoleAssignment(
            tenant: context.tenantID, id: try context.id("assignment", "role assignment"), by: context.caller)
        return Response(status: .noContent)
    }

    @Sendable func keys(_ request: Request, context: TenantRequestContext) async throws -> Response {
        try context.authorize(.manageAccess)
        return try json(["keys": try await control.keys(tenant: context.tenantID)])
    }

    @Sendable func createKey(_ request: Request, context: TenantRequestContext) async throws -> Response {
        try context.authorize(.manageAccess)
        let body = try await RequestBody.read(request, limit: maximumBodyBytes, allowed: ["principal_id", "name"])
        let (record, key) = try await control.createKey(
            tenant: context.tenantID, principal: try body.uuid("principal_id"), name: try body.string("name"), by: context.caller)
        return try json(CreatedKey(principal: nil, key: record, secret: key.plaintext), status: .created)
    }

    @Sendable func revokeKey(_ request: Request, context: TenantRequestContext) async throws -> Response {
        try context.authorize(.manageAccess)
        try await control.revokeKey(tenant: context.tenantID, id: try context.id("key", "key"), by: context.caller)
        return Response(status: .noContent)
    }

    /// `?after=<event id>&limit=<1…500>`; the response names the cursor of the next page.
    @Sendable func audit(_ request: Request, context: TenantRequestContext) async throws -> Response {
        try context.authorize(.manageAccess)
        let after = try request.uri.queryParameters.get("after").map { text -> Int in
            guard let value = Int(text), value >= 0 else { throw ServiceError(.invalid, "must be a non-negative event id", field: "after") }
            return value
        } ?? 0
        let limit = try request.uri.queryParameters.get("limit").map { text -> Int in
            guard let value = Int(text), (1...500).contains(value) else { throw ServiceError(.invalid, "must be 1 to 500", field: "limit") }
            return value
        } ?? 100
        let events = try await control.auditEvents(tenant: context.tenantID, after: after, limit: limit)
        return try json(AuditPage(events: events, nextAfter: events.count == limit ? events.last?.id : nil))
    }
}
