import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Serves a `FakeDataverseStore` over HTTP on a local port (0: any free port).
///
/// The token endpoint is `{baseURL}/{tenant}/oauth2/v2.0/token`; an organization `contoso.crm4.dynamics.com` is
/// `{baseURL}/contoso.crm4.dynamics.com/api/data/v9.2/…`, and every URL the fake returns has that form.
public final class FakeDataverseServer: Sendable {
    public let store: FakeDataverseStore
    /// The largest request body (an UpsertMultiple of 1,000 rows is about 1 MB).
    public static let maximumBodyBytes = 64 << 20

    private struct State {
        var group: ServiceGroup?
        var task: Task<Void, any Error>?
        var boundPort: Int?
    }

    private let state = Mutex(State())

    public init(store: FakeDataverseStore) {
        self.store = store
    }

    public var port: Int { state.withLock { $0.boundPort ?? 0 } }
    /// `http://127.0.0.1:{port}`: the login base and the base of every organization.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The Hummingbird application answering every path through the store.
    public func application(host: String, port: Int, logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        let router = Router()
        let store = self.store
        let respond: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let body = try await request.body.collect(upTo: FakeDataverseServer.maximumBodyBytes)
            let fake = FakeDataverseRequest(
                method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
                headers: request.headers.map { ($0.name.canonicalName, $0.value) }, body: Array(body.readableBytesView))
            let answer = await store.handle(fake)
            var headers = HTTPFields()
            for header in answer.headers {
                if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
            }
            return Response(status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
        router.get("**", use: respond)
        router.post("**", use: respond)
        router.patch("**", use: respond)
        router.delete("**", use: respond)
        router.put("**", use: respond)
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "fake-dataverse"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) }, logger: logger)
    }

    /// Starts listening; returns the port once the server runs.
    @discardableResult
    public func start(host: String = "127.0.0.1", port: Int = 0, logger: Logger = Logger(label: "fake-dataverse")) async throws -> Int {
        var quiet = logger
        quiet.logLevel = .warning
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = application(host: host, port: port, logger: quiet) { continuation.yield($0) }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: quiet))
        let task = Task { try await group.run() }
        state.withLock { state in
            state.group = group
            state.task = task
        }
        var iterator = stream.makeAsyncIterator()
        guard let bound = await iterator.next() else { throw CancellationError() }
        state.withLock { $0.boundPort = bound }
        store.baseURL = "http://127.0.0.1:\(bound)"
        return bound
    }

    public func stop() async {
        let (group, task) = state.withLock { ($0.group, $0.task) }
        await group?.triggerGracefulShutdown()
        _ = try? await task?.value
    }
}
