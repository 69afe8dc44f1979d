import Foundation

/// A Dataverse organization attached to an environment; `detachedAt` ends it.
public struct DataverseAttachment: Sendable, Codable, Equatable {
    public var organizationURL: String
    public var organizationID: UUID
    /// Microsoft's geography of the host (e.g. `United Kingdom (crm11)`); nil for attachments made before it was recorded.
    public var geography: String?
    public var attachedAt: Date
    public var attachedBy: UUID?
    public var detachedAt: Date?
    public var detachedBy: UUID?

    enum CodingKeys: String, CodingKey {
        case organizationURL = "organization_url"
        case organizationID = "organization_id"
        case geography
        case attachedAt = "attached_at"
        case attachedBy = "attached_by"
        case detachedAt = "detached_at"
        case detachedBy = "detached_by"
    }
}
