import Crypto
import Foundation

/// The signature of a webhook delivery, in the `t=…,v1=…` scheme receivers know from Stripe and others.
///
/// The header `Rapport-Signature: t={unix seconds},v1={hex HMAC-SHA256(secret, "{t}.{body}")}`
/// lets the receiver check the body came from Rapport and is fresh (it compares `t` with its clock).
public enum WebhookSignature {
    public static let headerName = "Rapport-Signature"

    /// The header value for `body` sent at `timestamp`.
    public static func header(secret: String, timestamp: Date, body: [UInt8]) -> String {
        let seconds = Int(timestamp.timeIntervalSince1970)
        return "t=\(seconds),v1=\(signature(secret: secret, seconds: seconds, body: body))"
    }

    /// Hex HMAC-SHA256 of `"{seconds}.{body}"`.
    public static func signature(secret: String, seconds: Int, body: [UInt8]) -> String {
        var message = Array("\(seconds).".utf8)
        message.append(contentsOf: body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `header` signs `body` with `secret` within `tolerance` of `now` (what a receiver does).
    public static func verify(header: String, secret: String, body: [UInt8], now: Date, tolerance: TimeInterval = 300) -> Bool {
        var seconds: Int?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { seconds = Int(pair[1]) }
            if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let seconds, abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance else { return false }
        let expected = Array(signature(secret: secret, seconds: seconds, body: body).utf8)
        return signatures.contains { candidate in
            let bytes = Array(candidate.utf8)
            // Constant time over the expected length.
            return bytes.count == expected.count && zip(bytes, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
        }
    }
}
