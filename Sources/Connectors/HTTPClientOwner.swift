import AsyncHTTPClient

/// Owns the connector's HTTP client and shuts it down when the last collector copy goes, if nobody did.
///
/// AsyncHTTPClient traps in debug builds when a client is released running;
/// a worker that stops on an error path must not crash on its way out.
final class HTTPClientOwner: Sendable {
    let client: HTTPClient

    init(_ client: HTTPClient) {
        self.client = client
    }

    deinit {
        let client = self.client
        Task { try? await client.shutdown() }
    }
}
