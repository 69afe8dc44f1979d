import Crypto
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

    public func signed(with secret: [UInt8]) -> String {
        let payload = ConsentToken.payload(tenant: tenant, request: id, expiresAt: expiresAt)
        return ConsentToken.base64URL(payload) + "." + ConsentToken.base64URL(Self.signature(payload, secret: secret))
    }

    /// Verifies a presented state; throws for a forged, malformed or expired one.
    public static func verify(_ text: String, secret: [UInt8], at moment: Date) throws(ConsentToken.Failure) -> GraphConsentState {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = ConsentToken.data(base64URL: String(parts[0])),
            let signature = ConsentToken.data(base64URL: String(parts[1])), payload.count == 40
        else { throw .malformed }
        let expected = Self.signature(payload, secret: secret)
        guard expected.count == signature.count else { throw .badSignature }
        var difference: UInt8 = 0
        for (a, b) in zip(expected, signature) { difference |= a ^ b }
        guard difference == 0 else { throw .badSignature }
        let bytes = [UInt8](payload)
        var seconds: Int64 = 0
        for byte in bytes[32..<40] { seconds = seconds << 8 | Int64(byte) }
        let state = GraphConsentState(
            tenant: uuid(bytes[0..<16]), id: uuid(bytes[16..<32]), expiresAt: Date(timeIntervalSince1970: Double(seconds)))
        guard moment < state.expiresAt else { throw .expired }
        return state
    }

    static func signature(_ payload: Data, secret: [UInt8]) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data("rapport.graph-consent.v1".utf8) + payload, using: SymmetricKey(data: secret)))
    }

    private static func uuid(_ slice: ArraySlice<UInt8>) -> UUID {
        let b = Array(slice)
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
}
