import Foundation

/// Where an environment's published runs are announced: a URL that receives a signed JSON summary of each.
public struct EnvironmentWebhook: Sendable, Codable, Equatable {
    public var url: String
    /// Names the signing secret without revealing it (rotates with every save).
    public var secretID: String
    public var createdAt: Date
    public var createdBy: UUID?

    enum CodingKeys: String, CodingKey {
        case url
        case secretID = "secret_id"
        case createdAt = "created_at"
        case createdBy = "created_by"
    }
}
