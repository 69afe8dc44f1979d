import Crypto
import Foundation

/// Turns email addresses into keyed hashes, so no raw address is stored in a region.
///
/// The key of each tenant is HMAC-SHA256(service secret, "rapport.address.v1/" +
/// tenant id): derived, never stored, never leaving the service. An address is
/// lowercased and trimmed before hashing; plus-addressing is kept as written.
public struct AddressHasher: Sendable {
    private let keyBytes: Data

    public init(serviceSecret: [UInt8], tenant: UUID) {
        let derived = HMAC<SHA256>.authenticationCode(
            for: Data("rapport.address.v1/\(tenant.uuidString.lowercased())".utf8),
            using: SymmetricKey(data: serviceSecret))
        keyBytes = Data(derived)
    }

    /// A 64-bit keyed hash of any identifier (a person's address, a message id), for counting and joining.
    ///
    /// Collisions are negligible at this scale (about 10⁻⁶ for five million keys).
    public func key(_ identifier: String) -> Int64 {
        let code = HMAC<SHA256>.authenticationCode(for: Data(identifier.utf8), using: SymmetricKey(data: keyBytes))
        return code.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
    }

    /// The 32-byte keyed hash of a normalized address.
    public func hash(_ address: String) -> Data {
        let normalized = address.trimmingCharacters(in: .whitespaces).lowercased()
        return Data(HMAC<SHA256>.authenticationCode(for: Data(normalized.utf8), using: SymmetricKey(data: keyBytes)))
    }
}
