import Foundation

/// Who is calling, established from an API key, with the roles they hold.
public struct Caller: Sendable, Equatable {
    public enum Identity: Sendable, Equatable {
        /// A platform operator: creates and lists tenants, nothing inside them.
        case `operator`(operatorID: UUID)
        /// A principal of one tenant.
        case principal(tenantID: UUID, principalID: UUID)
    }

    public var identity: Identity
    /// The key the call was made with, for the audit log.
    public var keyID: UUID
    /// The principal's role assignments (empty for operators).
    public var roles: [RoleGrant]

    public init(identity: Identity, keyID: UUID, roles: [RoleGrant]) {
        self.identity = identity
        self.keyID = keyID
        self.roles = roles
    }

    public var tenantID: UUID? {
        if case .principal(let tenantID, _) = identity { return tenantID }
        return nil
    }

    public var principalID: UUID? {
        if case .principal(_, let principalID) = identity { return principalID }
        return nil
    }

    public var operatorID: UUID? {
        if case .operator(let operatorID) = identity { return operatorID }
        return nil
    }

    /// Whether the caller belongs to `tenant`. Everything of another tenant is "not found".
    public func belongs(to tenant: UUID) -> Bool { tenantID == tenant }

    public var isOwner: Bool { roles.contains { $0.role == .owner } }

    /// Whether the caller holds the tenant-level `role` (owners hold every tenant role but o365_admin).
    public func hasTenantRole(_ role: Role) -> Bool {
        roles.contains { $0.environmentID == nil && $0.role == role }
    }

    /// Whether the caller holds `role` or a stronger one on `environment`; owners hold all.
    public func has(_ role: Role, on environment: UUID) -> Bool {
        if isOwner { return true }
        return roles.contains { grant in
            grant.environmentID == environment && grant.role.rank >= role.rank
        }
    }

    /// Whether the caller holds any role on `environment`, so it may know the environment exists.
    public func canSee(environment: UUID) -> Bool {
        has(.viewer, on: environment)
    }
}

/// A role assignment as held by a caller.
public struct RoleGrant: Sendable, Equatable {
    public var role: Role
    public var environmentID: UUID?

    public init(role: Role, environmentID: UUID?) {
        self.role = role
        self.environmentID = environmentID
    }
}

/// Roles: `owner` and `o365_admin` are per tenant; the rest per environment.
public enum Role: String, Sendable, Codable, CaseIterable {
    case owner
    case o365Admin = "o365_admin"
    case admin
    case contributor
    case viewer

    public var isTenantRole: Bool { self == .owner || self == .o365Admin }

    /// Environment roles nest: admin ⊃ contributor ⊃ viewer.
    var rank: Int {
        switch self {
        case .owner: 4
        case .admin: 3
        case .contributor: 2
        case .viewer: 1
        case .o365Admin: 0
        }
    }
}
