import ControlStore
import Engagement
import Foundation

/// Who may do what: the one table of Rapport's authorization.
///
/// Every route, page, command and workflow asks `caller.authorize(_:on:)` (or
/// `may`) for one of these; nothing else compares roles. Operators act on the
/// platform, never inside a tenant. Within a tenant, `owner` holds every
/// environment role, `o365_admin` is the Office 365 administrator (consent),
/// and the environment roles nest: admin ⊃ contributor ⊃ viewer.
public enum Permission: String, Sendable, CaseIterable {
    /// Create and list tenants, bootstrap their owner, read the outbox: a platform operator.
    case operatePlatform
    /// Read the tenant, its licence and its consent state: any principal of the tenant.
    case readTenant
    /// Principals, role assignments, keys and the audit log: the owner.
    case manageAccess
    /// Record the Office 365 licence: the owner.
    case manageLicence
    /// Load the tenant's directory: the owner.
    case manageDirectory
    /// Create environments: the owner.
    case createEnvironment
    /// Save or remove the Microsoft Graph app registration: the owner.
    case manageGraphRegistration
    /// Read the app registration and get an admin-consent URL: the owner or the Office 365 administrator.
    case requestAdminConsent
    /// Grant, refuse or withdraw consent: the Office 365 administrator.
    case decideConsent
    /// See an environment and read everything in it (results, runs, segments): a viewer.
    case readEnvironment
    /// Replace customer data and push activity; create and delete segments and measures: a contributor.
    case contribute
    /// Rename the environment, attach Dataverse, save the enrichment, Run now: an admin.
    case administerEnvironment

    /// What the permission needs, in the words of a 403.
    public var requirement: String {
        switch self {
        case .operatePlatform: "a platform operator key"
        case .readTenant: "a principal of the tenant"
        case .manageAccess, .manageLicence, .manageDirectory, .createEnvironment, .manageGraphRegistration: "the tenant's owner role"
        case .requestAdminConsent: "the tenant's owner or o365_admin role"
        case .decideConsent: "the tenant's Office 365 administrator (role o365_admin)"
        case .readEnvironment: "a role on the environment"
        case .contribute: "the contributor role on the environment"
        case .administerEnvironment: "the admin role on the environment"
        }
    }

    /// Whether `caller` holds it (in `tenant`, and on `environment` for the environment permissions).
    func granted(to caller: Caller, tenant: UUID?, environment: UUID?) -> Bool {
        if self == .operatePlatform { return caller.operatorID != nil }
        guard let tenant, caller.belongs(to: tenant) else { return false }
        switch self {
        case .operatePlatform: return false
        case .readTenant: return true
        case .manageAccess, .manageLicence, .manageDirectory, .createEnvironment, .manageGraphRegistration: return caller.isOwner
        case .requestAdminConsent: return caller.isOwner || caller.hasTenantRole(.o365Admin)
        case .decideConsent: return caller.hasTenantRole(.o365Admin)
        case .readEnvironment: return environment.map { caller.has(.viewer, on: $0) } ?? false
        case .contribute: return environment.map { caller.has(.contributor, on: $0) } ?? false
        case .administerEnvironment: return environment.map { caller.has(.admin, on: $0) } ?? false
        }
    }
}

extension Caller {
    /// Whether the caller holds `permission` in `tenant` (and on `environment`).
    public func may(_ permission: Permission, in tenant: UUID? = nil, on environment: UUID? = nil) -> Bool {
        permission.granted(to: self, tenant: tenant ?? tenantID, environment: environment)
    }

    /// Throws 403 naming what is needed unless the caller holds `permission`.
    ///
    /// A caller of another tenant gets 404 instead: it may not learn that the tenant exists.
    public func authorize(_ permission: Permission, in tenant: UUID? = nil, on environment: UUID? = nil) throws {
        if permission != .operatePlatform, let tenant, !belongs(to: tenant) { throw ServiceError.notFound("tenant") }
        guard may(permission, in: tenant, on: environment) else {
            throw ServiceError(.forbidden, "this needs \(permission.requirement)")
        }
    }
}
