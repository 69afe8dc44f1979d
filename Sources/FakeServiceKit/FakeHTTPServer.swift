import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Serves a fake over HTTP on a local port (0: any free port), carrying every request on `**` to one handler.
///
/// The fakes (`FakeGraphServer`, `FakeDataverseServer`) wrap one; tests start and stop it.
public final class FakeHTTPServer: Sendable {
    /// What a handler answers: a status, headers in order, and the body.
    public typealias Answer = (status: Int, headers: [(name: String, value: String)], body: [UInt8])
    public typealias Handler = @Sendable (FakeHTTPRequest) async -> Answer

    /// The `Server` header, and the default logger's label.
    public let name: String
    /// The methods routed to the handler (on every path).
    public let methods: [HTTPRequest.Method]
    /// The largest request body; a larger one fails the request before the handler sees it.
    public let maximumBodyBytes: Int
    private let handler: Handler

    private struct State {
        var group: ServiceGroup?
        var task: Task<Void, any Error>?
        var boundPort: Int?
    }

    private let state = Mutex(State())

    public init(name: String, methods: [HTTPRequest.Method], maximumBodyBytes: Int, handler: @escaping Handler) {
        self.name = name
        self.methods = methods
        self.maximumBodyBytes = maximumBodyBytes
        self.handler = handler
    }

    /// The bound port once `start` returned (0 before).
    public var port: Int { state.withLock { $0.boundPort ?? 0 } }
    /// `http://127.0.0.1:{port}`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The Hummingbird application answering every path through the handler.
    public func application(host: String, port: Int, logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        let router = Router()
        let handler = self.handler
        let limit = maximumBodyBytes
        let respond: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let body = try await request.body.collect(upTo: limit)
            let fake = FakeHTTPRequest(
                method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
                headers: request.headers.map { ($0.name.canonicalName, $0.value) }, body: Array(body.readableBytesView))
            let answer = await handler(fake)
            var headers = HTTPFields()
            for header in answer.headers {
                if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
            }
            return Response(status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
        for method in methods { router.on("**", method: method, use: respond) }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: name),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) }, logger: logger)
    }

    /// Starts listening (logging warnings and worse); returns the port once the server runs.
    @discardableResult
    public func start(host: String = "127.0.0.1", port: Int = 0, logger: Logger? = nil) async throws -> Int {
        var quiet = logger ?? Logger(label: name)
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
        return bound
    }

    /// Shuts the server down gracefully and waits for it.
    public func stop() async {
        let (group, task) = state.withLock { ($0.group, $0.task) }
        await group?.triggerGracefulShutdown()
        _ = try? await task?.value
    }
}
