import Engagement
import Crypto
import Foundation

/// Seals and opens client secrets with AES-256-GCM, bound to their tenant.
///
/// The key is `graph.secret.key` when configured, else
/// HKDF-SHA256(service secret, salt "rapport", info "rapport.graph.client-secret.v1").
/// The sealed form is nonce ‖ ciphertext ‖ tag, with the tenant id as
/// associated data, so a sealed secret copied to another tenant's row does not open.
public struct GraphSecretBox: Sendable {
    private let keyBytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }
    /// Names the key without revealing it: hex of the first 8 bytes of its SHA-256.
    public let keyID: String

    public init(settings: GraphSettings, serviceSecret: [UInt8]) {
        if let configured = settings.secretKey {
            keyBytes = configured
        } else {
            keyBytes = HKDF<SHA256>.deriveKey(
                inputKeyMaterial: SymmetricKey(data: serviceSecret), salt: Data("rapport".utf8),
                info: Data("rapport.graph.client-secret.v1".utf8), outputByteCount: 32
            ).withUnsafeBytes { Array($0) }
        }
        keyID = Data(SHA256.hash(data: Data(keyBytes))).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    public func seal(_ secret: String, tenant: UUID) throws -> Data {
        let sealed = try AES.GCM.seal(Data(secret.utf8), using: key, authenticating: Self.associatedData(tenant))
        guard let combined = sealed.combined else { throw ServiceError(.invalid, "the client secret could not be sealed", field: "client_secret") }
        return combined
    }

    /// Opens a sealed secret; a clear error when it was sealed under another key or tampered with.
    public func open(_ sealed: Data, keyID storedKeyID: String, tenant: UUID) throws -> String {
        guard storedKeyID == keyID else {
            throw ServiceError(
                .unprocessable,
                "the Graph client secret was sealed under another key (graph.secret.key or secret.key changed); enter the client secret again with PUT /v1/tenants/{tenant}/graph",
                field: "client_secret")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            return String(decoding: try AES.GCM.open(box, using: key, authenticating: Self.associatedData(tenant)), as: UTF8.self)
        } catch {
            throw ServiceError(.unprocessable, "the stored Graph client secret does not open; enter it again", field: "client_secret")
        }
    }

    private static func associatedData(_ tenant: UUID) -> Data {
        Data("rapport.graph.client-secret/\(tenant.uuidString.lowercased())".utf8)
    }
}
