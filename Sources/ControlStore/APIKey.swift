import Crypto
import Foundation

/// An API key: `rpt_<prefix>_<secret>` for tenant principals, `rpo_…` for operators.
///
/// The whole key is shown once, at creation. The database keeps only the public
/// prefix (to find the row) and the SHA-256 of the whole key; a presented key is
/// checked by comparing digests in constant time.
public struct APIKey: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case tenant = "rpt"
        case `operator` = "rpo"
    }

    public let kind: Kind
    public let prefix: String
    public let secret: String

    /// The text to hand to the key's holder.
    public var plaintext: String { "\(kind.rawValue)_\(prefix)_\(secret)" }

    /// The SHA-256 digest stored in place of the key.
    public var hash: [UInt8] { Array(SHA256.hash(data: Data(plaintext.utf8))) }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// A fresh key: a 10-character prefix and a 40-character secret (about 238 bits).
    public static func generate(_ kind: Kind) -> APIKey {
        var generator = SystemRandomNumberGenerator()
        func random(_ count: Int) -> String {
            String((0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
        }
        return APIKey(kind: kind, prefix: random(10), secret: random(40))
    }

    /// Splits a presented key; `nil` when it does not have the key's shape.
    public init?(parsing text: String) {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, let kind = Kind(rawValue: String(parts[0])), parts[1].count == 10, parts[2].count == 40,
            parts[1].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
            parts[2].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { return nil }
        self.init(kind: kind, prefix: String(parts[1]), secret: String(parts[2]))
    }

    init(kind: Kind, prefix: String, secret: String) {
        self.kind = kind
        self.prefix = prefix
        self.secret = secret
    }

    /// Whether `hash` is this key's digest, compared without early exit.
    public func matches(_ storedHash: [UInt8]) -> Bool {
        let digest = hash
        guard storedHash.count == digest.count else { return false }
        var difference: UInt8 = 0
        for index in digest.indices { difference |= digest[index] ^ storedHash[index] }
        return difference == 0
    }
}
