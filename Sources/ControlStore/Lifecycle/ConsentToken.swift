import Crypto
import Foundation

/// The token in a consent email's link: signed, expiring, and (through the database) single-use.
///
/// `base64url(tenant ‖ request ‖ expiry) + "." + base64url(HMAC-SHA256(secret, purpose ‖ payload))`, the purpose
/// `rapport.consent.v1` (another purpose, such as `GraphConsentState`'s, signs tokens that cannot stand in for these).
/// The signature and expiry are checked before the database is asked; the
/// database keeps only the token's SHA-256 and marks it used.
public struct ConsentToken: Sendable, Equatable {
    public var tenant: UUID
    public var request: UUID
    public var expiresAt: Date

    public init(tenant: UUID, request: UUID, expiresAt: Date) {
        self.tenant = tenant
        self.request = request
        self.expiresAt = expiresAt
    }

    public static let purpose = "rapport.consent.v1"

    public func signed(with secret: [UInt8], purpose: String = Self.purpose) -> String {
        let payload = Self.payload(tenant: tenant, request: request, expiresAt: expiresAt)
        return Self.base64URL(payload) + "." + Self.base64URL(Self.signature(payload, secret: secret, purpose: purpose))
    }

    public enum Failure: Error, Sendable, Equatable {
        case malformed
        case badSignature
        case expired
    }

    /// Verifies a presented token; throws for a forged, malformed or expired one.
    public static func verify(_ text: String, secret: [UInt8], at moment: Date, purpose: String = Self.purpose) throws(Failure) -> ConsentToken {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = data(base64URL: String(parts[0])), let signature = data(base64URL: String(parts[1])),
            payload.count == 40
        else { throw .malformed }
        let expected = Self.signature(payload, secret: secret, purpose: purpose)
        guard expected.count == signature.count else { throw .badSignature }
        var difference: UInt8 = 0
        for (a, b) in zip(expected, signature) { difference |= a ^ b }
        guard difference == 0 else { throw .badSignature }
        let bytes = [UInt8](payload)
        let tenant = UUID(uuid: uuidTuple(bytes[0..<16]))
        let request = UUID(uuid: uuidTuple(bytes[16..<32]))
        var seconds: Int64 = 0
        for byte in bytes[32..<40] { seconds = seconds << 8 | Int64(byte) }
        let expiresAt = Date(timeIntervalSince1970: Double(seconds))
        guard moment < expiresAt else { throw .expired }
        return ConsentToken(tenant: tenant, request: request, expiresAt: expiresAt)
    }

    /// The SHA-256 the database keeps in place of the token.
    public static func hash(_ text: String) -> Data {
        Data(SHA256.hash(data: Data(text.utf8)))
    }

    static func payload(tenant: UUID, request: UUID, expiresAt: Date) -> Data {
        var bytes = withUnsafeBytes(of: tenant.uuid) { Array($0) } + withUnsafeBytes(of: request.uuid) { Array($0) }
        let seconds = Int64(expiresAt.timeIntervalSince1970.rounded(.down))
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: seconds >> Int64(shift))) }
        return Data(bytes)
    }

    static func signature(_ payload: Data, secret: [UInt8], purpose: String) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data(purpose.utf8) + payload, using: SymmetricKey(data: secret)))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func data(base64URL text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }

    private static func uuidTuple(_ slice: ArraySlice<UInt8>) -> uuid_t {
        let b = Array(slice)
        return (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15])
    }
}
