import Crypto
import Foundation
import Hummingbird
import Platform

/// The pages' sign-in session: a signed cookie naming a session the server keeps.
///
/// `rapport_session=<session id>.<expiry>.<HMAC>`: the key is never in the
/// cookie; each request looks the session up (`page_session`), so signing out
/// or revoking the key ends it on every server at once. The cookie is HttpOnly,
/// SameSite=Strict, and Secure when the service is reached over TLS. Forms
/// carry a CSRF token derived from the session cookie.
enum PageSession {
    static let cookieName = "rapport_session"
    /// The sign-in form's nonce cookie: its CSRF token is checked before there is a session.
    static let signInCookieName = "rapport_signin"
    static let lifetime: TimeInterval = 8 * 3600

    /// A signed-in session as a page request sees it.
    struct Active: Sendable {
        var id: UUID
        var caller: Caller
        /// The session cookie's value, which the CSRF token derives from.
        var cookie: String
        var csrf: String
    }

    static func issue(session: UUID, expiresAt: Date, secret: [UInt8]) -> String {
        let payload = "\(session.uuidString.lowercased()).\(Int64(expiresAt.timeIntervalSince1970))"
        return payload + "." + signature(payload, secret: secret, purpose: "rapport.session.v2")
    }

    /// The session id of a validly signed, unexpired cookie (whether the session is still open is the database's to say).
    static func verify(_ cookie: String, secret: [UInt8], at moment: Date) -> UUID? {
        let parts = cookie.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let expiry = Int64(parts[1]), let session = UUID(uuidString: String(parts[0])) else { return nil }
        let payload = "\(parts[0]).\(parts[1])"
        guard constantTimeEqual(signature(payload, secret: secret, purpose: "rapport.session.v2"), String(parts[2])),
            Double(expiry) > moment.timeIntervalSince1970
        else { return nil }
        return session
    }

    /// The CSRF token of a session (or of a sign-in nonce): forms must send it back.
    static func csrfToken(for cookie: String, secret: [UInt8]) -> String {
        signature(cookie, secret: secret, purpose: "rapport.csrf.v1")
    }

    static func checkCSRF(_ presented: String?, cookie: String, secret: [UInt8]) -> Bool {
        guard let presented else { return false }
        return constantTimeEqual(csrfToken(for: cookie, secret: secret), presented)
    }

    static func signature(_ text: String, secret: [UInt8], purpose: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data((purpose + "|" + text).utf8), using: SymmetricKey(data: secret))
        return Data(code).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    /// A cookie of the pages: HttpOnly, SameSite=Strict, under `/ui`; `secure` adds the Secure attribute.
    static func cookie(name: String, value: String, maxAge: Int, secure: Bool) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/ui", secure: secure, httpOnly: true, sameSite: .strict)
    }
}
