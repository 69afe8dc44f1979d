import Foundation
import Hummingbird
import Platform

/// A request under `/v1/tenants/{tenant}`: the caller, who belongs to that tenant.
///
/// Made once per request from the authenticated `AppRequestContext`; a caller
/// of another tenant (an operator too) or a malformed id is "not found".
struct TenantRequestContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let caller: Caller
    let tenantID: UUID
    /// The environment of `…/environments/{environment}`, bound to its region; set by `EnvironmentMiddleware`.
    var scope: EnvironmentScope?

    init(context: AppRequestContext) throws {
        coreContext = context.coreContext
        tenantID = try context.id("tenant", "tenant")
        caller = try context.requireCaller()
        try caller.authorize(.readTenant, in: tenantID)
    }

    /// Throws 403 (or 404 for another tenant) unless the caller holds `permission` in this tenant.
    func authorize(_ permission: Permission) throws {
        try caller.authorize(permission, in: tenantID)
    }
}
