import Foundation

/// A person or service of a tenant that holds roles and keys.
public struct Principal: Sendable, Codable, Equatable {
    public var id: UUID
    public var tenantID: UUID
    public var displayName: String
    public var email: String?
    public var createdAt: Date
}
