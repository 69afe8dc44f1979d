import FakeServiceKit
import Hummingbird
import Logging

/// Serves a `FakeDataverseStore` over HTTP on a local port (0: any free port).
///
/// The token endpoint is `{baseURL}/{tenant}/oauth2/v2.0/token`; an organization `contoso.crm4.dynamics.com` is
/// `{baseURL}/contoso.crm4.dynamics.com/api/data/v9.2/…`, and every URL the fake returns has that form.
public final class FakeDataverseServer: Sendable {
    public let store: FakeDataverseStore
    /// The largest request body (an UpsertMultiple of 1,000 rows is about 1 MB).
    public static let maximumBodyBytes = 64 << 20
    private let http: FakeHTTPServer

    public init(store: FakeDataverseStore) {
        self.store = store
        http = FakeHTTPServer(
            name: "fake-dataverse", methods: [.get, .post, .patch, .delete, .put], maximumBodyBytes: Self.maximumBodyBytes
        ) { request in
            let answer = await store.handle(request)
            return (answer.status, answer.headers, answer.body)
        }
    }

    public var port: Int { http.port }
    /// `http://127.0.0.1:{port}`: the login base and the base of every organization.
    public var baseURL: String { http.baseURL }

    /// The Hummingbird application answering every path through the store.
    public func application(host: String, port: Int, logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        http.application(host: host, port: port, logger: logger, onRunning: onRunning)
    }

    /// Starts listening; returns the port once the server runs (and points the store's URLs at it).
    @discardableResult
    public func start(host: String = "127.0.0.1", port: Int = 0, logger: Logger = Logger(label: "fake-dataverse")) async throws -> Int {
        let bound = try await http.start(host: host, port: port, logger: logger)
        store.baseURL = http.baseURL
        return bound
    }

    public func stop() async {
        await http.stop()
    }
}
