import Crypto
import Foundation

/// Turns email addresses into keyed hashes, so no raw address is stored in a region.
///
/// The key of each tenant is HMAC-SHA256(service secret, "rapport.address.v1/" +
/// tenant id): derived, never stored, never leaving the service. An address is
/// lowercased and trimmed before hashing; plus-addressing is kept as written.
public struct AddressHasher: Sendable {
    /// HMAC-SHA256 with the tenant's key already absorbed (both pads): copied per hash, never mutated.
    private let keyed: KeyedState

    public init(serviceSecret: [UInt8], tenant: UUID) {
        let derived = HMAC<SHA256>.authenticationCode(
            for: Data("rapport.address.v1/\(tenant.uuidString.lowercased())".utf8),
            using: SymmetricKey(data: serviceSecret))
        keyed = KeyedState(mac: HMAC<SHA256>(key: SymmetricKey(data: Data(derived))))
    }

    /// A 64-bit keyed hash of any identifier (a person's address, a message id), for counting and joining.
    ///
    /// Collisions are negligible at this scale (about 10⁻⁶ for five million keys).
    public func key(_ identifier: String) -> Int64 {
        let code = authenticationCode(identifier)
        return code.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
    }

    /// The 32-byte keyed hash of a normalized address.
    public func hash(_ address: String) -> Data {
        Data(authenticationCode(address.trimmingCharacters(in: .whitespaces).lowercased()))
    }

    private func authenticationCode(_ text: String) -> HMAC<SHA256>.MAC {
        // Starting from the keyed state saves deriving the pads (two SHA-256 blocks and a key copy) per call.
        var mac = keyed.mac
        var text = text
        text.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        return mac.finalize()
    }

    /// The keyed HMAC state; immutable, and copied (copy-on-write) before every use, so it may cross tasks.
    private struct KeyedState: @unchecked Sendable {
        let mac: HMAC<SHA256>
    }
}
