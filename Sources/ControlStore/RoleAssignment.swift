import Foundation

/// A role held by a principal, on the tenant or on one environment.
public struct RoleAssignment: Sendable, Codable, Equatable {
    public var id: UUID
    public var principalID: UUID
    public var role: Role
    public var environmentID: UUID?
    /// For `o365_admin`: where consent requests go.
    public var notifyEmail: String?
    public var createdAt: Date
}
