import Foundation
import Platform

/// A webhook just saved, with its signing secret: shown once, never again.
struct SavedWebhook: Encodable {
    var webhook: EnvironmentWebhook
    var secret: String

    enum CodingKeys: String, CodingKey {
        case url, secretID, createdAt, createdBy, secret
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(webhook.url, forKey: .url)
        try container.encode(webhook.secretID, forKey: .secretID)
        try container.encode(webhook.createdAt, forKey: .createdAt)
        try container.encode(webhook.createdBy, forKey: .createdBy)
        try container.encode(secret, forKey: .secret)
    }
}
