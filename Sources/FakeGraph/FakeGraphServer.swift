import FakeServiceKit
import Hummingbird
import Logging

/// Serves a `FakeGraphStore` over HTTP on a local port (0: any free port).
///
/// Point the connector at it with `graph.login.url = loginURL` and
/// `graph.api.url = apiURL`. Tests start and stop it; `rapport-dev fake-graph` runs it until SIGTERM.
public final class FakeGraphServer: Sendable {
    public let store: FakeGraphStore
    private let http: FakeHTTPServer

    public init(store: FakeGraphStore) {
        self.store = store
        http = FakeHTTPServer(name: "fake-graph", methods: [.get, .post], maximumBodyBytes: 1 << 20) { request in
            let answer = await store.handle(request)
            return (answer.status, answer.headers, answer.body)
        }
    }

    public var port: Int { http.port }
    /// The login base URL: `http://127.0.0.1:{port}`.
    public var loginURL: String { http.baseURL }
    /// The Graph base URL: `http://127.0.0.1:{port}/v1.0`.
    public var apiURL: String { "\(loginURL)/v1.0" }

    /// The Hummingbird application answering every path through the store.
    public func application(host: String, port: Int, logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        http.application(host: host, port: port, logger: logger, onRunning: onRunning)
    }

    /// Starts listening; returns the port once the server runs (and points the store's links at it).
    @discardableResult
    public func start(host: String = "127.0.0.1", port: Int = 0, logger: Logger = Logger(label: "fake-graph")) async throws -> Int {
        let bound = try await http.start(host: host, port: port, logger: logger)
        store.baseURL = http.baseURL
        return bound
    }

    public func stop() async {
        await http.stop()
    }
}
