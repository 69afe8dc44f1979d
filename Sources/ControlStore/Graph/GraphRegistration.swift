import Foundation

/// A tenant's own Entra app registration, as the API shows it: never the secret.
public struct GraphRegistration: Sendable, Codable, Equatable {
    public var tenantID: UUID
    /// The Entra (Azure AD) tenant: its id, or a verified domain such as `contoso.onmicrosoft.com`.
    public var entraTenantID: String
    /// The application (client) id.
    public var clientID: String
    public var cloud: GraphCloud
    /// Always true once stored; the secret itself is never returned.
    public var hasSecret: Bool
    public var secretUpdatedAt: Date
    /// When Microsoft's admin-consent callback last reported a grant.
    public var consentedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        tenantID: UUID, entraTenantID: String, clientID: String, cloud: GraphCloud, hasSecret: Bool, secretUpdatedAt: Date, consentedAt: Date?,
        createdAt: Date, updatedAt: Date
    ) {
        self.tenantID = tenantID
        self.entraTenantID = entraTenantID
        self.clientID = clientID
        self.cloud = cloud
        self.hasSecret = hasSecret
        self.secretUpdatedAt = secretUpdatedAt
        self.consentedAt = consentedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// What the connector needs to sign in: the registration with its secret, opened.
public struct GraphCredentials: Sendable {
    public var registration: GraphRegistration
    public var clientSecret: String

    public init(registration: GraphRegistration, clientSecret: String) {
        self.registration = registration
        self.clientSecret = clientSecret
    }
}

extension GraphCredentials: CustomStringConvertible, CustomDebugStringConvertible {
    /// Never prints the secret, whatever logs the value.
    public var description: String {
        "GraphCredentials(tenant: \(registration.entraTenantID), client: \(registration.clientID), secret: <redacted>)"
    }

    public var debugDescription: String { description }
}
