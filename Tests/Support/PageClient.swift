import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Signs in to the pages and reads them, as a browser would.
public struct PageClient {
    let client: any TestClientProtocol

    public init(client: any TestClientProtocol) {
        self.client = client
    }

    /// The `rapport_session=…` cookie of a fresh sign-in with `key`.
    public func signIn(_ key: String) async throws -> String {
        let form = try await client.execute(uri: "/ui/signin", method: .get) { ($0.headers[values: .setCookie], String(buffer: $0.body)) }
        let nonce = String(try #require(form.0.first { $0.hasPrefix("rapport_signin=") }).split(separator: ";")[0])
        let csrf = try #require(Self.hidden("csrf", in: form.1))
        let signedIn = try await client.execute(
            uri: "/ui/signin", method: .post, headers: [.cookie: nonce, .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "csrf=\(csrf)&key=\(key)")) { $0.headers[values: .setCookie] }
        return String(try #require(signedIn.first { $0.hasPrefix("rapport_session=") }).split(separator: ";")[0])
    }

    public func get(_ path: String, cookie: String) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(uri: path, method: .get, headers: [.cookie: cookie]) { ($0.status, String(buffer: $0.body)) }
    }

    /// The value of a hidden form field.
    public static func hidden(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }
}
