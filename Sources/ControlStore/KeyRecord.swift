import Foundation

/// What is stored of an API key: never the key itself.
public struct KeyRecord: Sendable, Codable, Equatable {
    public var id: UUID
    public var principalID: UUID
    public var name: String
    /// The key's public prefix, as in `rpt_<prefix>_…`.
    public var prefix: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?
}
