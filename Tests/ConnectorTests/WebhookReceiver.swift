import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A webhook receiver on a live local port: records every POST and answers the status it is told to.
final class WebhookReceiver: Sendable {
    struct Delivery: Sendable {
        var headers: Headers
        var body: [UInt8]
    }

    /// Header fields as received; looked up without regard to case, as HTTP names are.
    struct Headers: Sendable {
        var fields: [String: String] = [:]
        subscript(name: String) -> String? {
            get { fields[name.lowercased()] }
            set { fields[name.lowercased()] = newValue }
        }
    }

    private struct State {
        var deliveries: [Delivery] = []
        var status = 200
        var group: ServiceGroup?
        var task: Task<Void, any Error>?
        var port = 0
    }

    private let state = Mutex(State())

    var deliveries: [Delivery] { state.withLock { $0.deliveries } }
    var url: String { "http://127.0.0.1:\(state.withLock { $0.port })/hooks/rapport" }

    /// The status the next deliveries get.
    func answer(_ status: Int) {
        state.withLock { $0.status = status }
    }

    func start() async throws {
        let router = Router()
        router.post("hooks/rapport") { [self] request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers = Headers()
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let status = state.withLock { state in
                state.deliveries.append(Delivery(headers: headers, body: Array(body.readableBytesView)))
                return state.status
            }
            return Response(status: .init(code: status))
        }
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .warning
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task { try await group.run() }
        var iterator = stream.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        state.withLock {
            $0.group = group
            $0.task = task
            $0.port = port
        }
    }

    func stop() async {
        let (group, task) = state.withLock { ($0.group, $0.task) }
        await group?.triggerGracefulShutdown()
        _ = try? await task?.value
    }
}
