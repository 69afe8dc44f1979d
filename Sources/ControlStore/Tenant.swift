import Foundation

/// An organization using Rapport.
public struct Tenant: Sendable, Codable, Equatable {
    public var id: UUID
    public var name: String
    /// The organization's own mail domains: mail between them is internal.
    public var emailDomains: [String]
    public var createdAt: Date
}
