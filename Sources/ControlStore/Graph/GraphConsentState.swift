import Foundation

/// The `state` of an admin-consent URL: signed, expiring, and (through the database) single use.
///
/// Built like `ConsentToken`, with its own purpose string so neither can stand in
/// for the other: `base64url(tenant ‖ state id ‖ expiry) + "." +
/// base64url(HMAC-SHA256(secret, "rapport.graph-consent.v1" ‖ payload))`.
public struct GraphConsentState: Sendable, Equatable {
    public var tenant: UUID
    public var id: UUID
    public var expiresAt: Date

    public init(tenant: UUID, id: UUID, expiresAt: Date) {
        self.tenant = tenant
        self.id = id
        self.expiresAt = expiresAt
    }

    static let purpose = "rapport.graph-consent.v1"

    public func signed(with secret: [UInt8]) -> String {
        ConsentToken(tenant: tenant, request: id, expiresAt: expiresAt).signed(with: secret, purpose: Self.purpose)
    }

    /// Verifies a presented state; throws for a forged, malformed or expired one.
    public static func verify(_ text: String, secret: [UInt8], at moment: Date) throws(ConsentToken.Failure) -> GraphConsentState {
        let token = try ConsentToken.verify(text, secret: secret, at: moment, purpose: purpose)
        return GraphConsentState(tenant: token.tenant, id: token.request, expiresAt: token.expiresAt)
    }
}
