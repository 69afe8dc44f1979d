import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// A bounded pool of connections to one database.
///
/// `withConnection` lends a connection to one task at a time. When every
/// connection is lent and the pool is at `maximumConnections`, callers wait in
/// FIFO order up to `acquireTimeout`, then fail with `.poolTimeout`. A connection
/// that comes back broken, or still inside a transaction, is closed instead of
/// reused; an idle connection that the server closed (a restart) is noticed on
/// acquire and replaced, so the pool recovers by itself.
///
/// Metrics (swift-metrics, labelled `pool`): `rapport_postgres_pool_connections`
/// (gauge, `state` = `idle` | `in_use`), `rapport_postgres_pool_waits_total`,
/// `rapport_postgres_pool_timeouts_total`, `rapport_postgres_pool_discarded_total`
/// and the timer `rapport_postgres_pool_wait_duration`.
public final class PostgresPool: Sendable {
    public struct Configuration: Sendable {
        /// A libpq connection string or URI; `""` uses the `PG*` environment variables.
        public var connectionString: String
        public var maximumConnections: Int
        public var acquireTimeout: Duration
        /// Names the pool in metrics and logs.
        public var name: String

        public init(
            connectionString: String, maximumConnections: Int = 10, acquireTimeout: Duration = .seconds(10),
            name: String = "default"
        ) {
            self.connectionString = connectionString
            self.maximumConnections = max(1, maximumConnections)
            self.acquireTimeout = acquireTimeout
            self.name = name
        }
    }

    /// Counts for tests and the metrics endpoint.
    public struct Statistics: Sendable, Equatable {
        public var open: Int
        public var idle: Int
        public var inUse: Int
        public var waiting: Int
        public var waitsTotal: Int
        public var timeoutsTotal: Int
        public var discardedTotal: Int
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<PostgresConnection?, Error>
    }

    private struct State {
        var idle: [PostgresConnection] = []
        var open = 0
        var waiters: [Waiter] = []
        var nextWaiterID: UInt64 = 0
        var closed = false
        var waitsTotal = 0
        var timeoutsTotal = 0
        var discardedTotal = 0
    }

    public let configuration: Configuration
    private let state = Mutex(State())
    private let logger: Logger
    private let idleGauge: Gauge
    private let inUseGauge: Gauge
    private let waitCounter: Counter
    private let timeoutCounter: Counter
    private let discardCounter: Counter
    private let waitTimer: Metrics.Timer

    public init(_ configuration: Configuration, logger: Logger = Logger(label: "rapport.postgres.pool")) {
        self.configuration = configuration
        self.logger = logger
        let dimensions = [("pool", configuration.name)]
        idleGauge = Gauge(label: "rapport_postgres_pool_connections", dimensions: dimensions + [("state", "idle")])
        inUseGauge = Gauge(label: "rapport_postgres_pool_connections", dimensions: dimensions + [("state", "in_use")])
        waitCounter = Counter(label: "rapport_postgres_pool_waits_total", dimensions: dimensions)
        timeoutCounter = Counter(label: "rapport_postgres_pool_timeouts_total", dimensions: dimensions)
        discardCounter = Counter(label: "rapport_postgres_pool_discarded_total", dimensions: dimensions)
        waitTimer = Metrics.Timer(label: "rapport_postgres_pool_wait_duration", dimensions: dimensions)
    }

    /// Lends a connection to `body` and takes it back afterwards, healthy or not.
    public func withConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let connection = try await acquire()
        do {
            let result = try await body(connection)
            await release(connection)
            return result
        } catch {
            await release(connection)
            throw error
        }
    }

    /// Runs one statement on a pooled connection.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await withConnection { try await $0.query(query) }
    }

    /// Runs `body` in a transaction on a pooled connection.
    public func withTransaction<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withConnection { connection in
            try await connection.withTransaction { try await body($0) }
        }
    }

    public var statistics: Statistics {
        state.withLock { state in
            Statistics(
                open: state.open, idle: state.idle.count, inUse: state.open - state.idle.count,
                waiting: state.waiters.count, waitsTotal: state.waitsTotal, timeoutsTotal: state.timeoutsTotal,
                discardedTotal: state.discardedTotal)
        }
    }

    /// Closes idle connections and refuses new acquires; lent ones close on release.
    public func shutdown() async {
        let (idle, waiters) = state.withLock { state -> ([PostgresConnection], [Waiter]) in
            state.closed = true
            let idle = state.idle
            state.open -= idle.count
            state.idle.removeAll()
            let waiters = state.waiters
            state.waiters.removeAll()
            return (idle, waiters)
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: PostgresError(code: .poolClosed, message: "the pool was shut down"))
        }
        for connection in idle { await connection.close() }
        updateGauges()
    }

    // MARK: - Acquire and release

    private enum Decision {
        case reuse(PostgresConnection)
        case open
        case wait
        case closed
    }

    private func acquire() async throws -> PostgresConnection {
        while true {
            let decision = state.withLock { state -> Decision in
                if state.closed { return .closed }
                if let connection = state.idle.popLast() { return .reuse(connection) }
                if state.open < configuration.maximumConnections {
                    state.open += 1
                    return .open
                }
                return .wait
            }
            switch decision {
            case .closed:
                throw PostgresError(code: .poolClosed, message: "the pool was shut down")
            case .reuse(let connection):
                if await connection.looksAliveWhileIdle() {
                    updateGauges()
                    return connection
                }
                discard(connection)
                await connection.close()
                continue
            case .open:
                return try await openConnection()
            case .wait:
                if let connection = try await waitForConnection() {
                    return connection
                }
                // Woken with a free slot rather than a connection: loop and take it.
            }
        }
    }

    private func openConnection() async throws -> PostgresConnection {
        do {
            let connection = try await PostgresConnection.connect(configuration.connectionString, logger: logger)
            updateGauges()
            return connection
        } catch {
            let waiter = state.withLock { state -> Waiter? in
                state.open -= 1
                return state.waiters.isEmpty ? nil : state.waiters.removeFirst()
            }
            // A waiter may get a slot the failed attempt held; let it try its own connect.
            waiter?.continuation.resume(returning: nil)
            updateGauges()
            throw error
        }
    }

    /// Waits for a released connection (non-nil) or a freed slot (nil).
    private func waitForConnection() async throws -> PostgresConnection? {
        let started = ContinuousClock.now
        let id = state.withLock { state -> UInt64 in
            state.nextWaiterID += 1
            state.waitsTotal += 1
            return state.nextWaiterID
        }
        waitCounter.increment()
        let timeout = configuration.acquireTimeout
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            self?.failWaiter(id, timedOut: true)
        }
        defer {
            timer.cancel()
            let waited = ContinuousClock.now - started
            waitTimer.recordNanoseconds(waited.components.seconds * 1_000_000_000 + waited.components.attoseconds / 1_000_000_000)
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let enqueued = state.withLock { state -> Bool in
                    guard !state.closed else { return false }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return true
                }
                if !enqueued {
                    continuation.resume(throwing: PostgresError(code: .poolClosed, message: "the pool was shut down"))
                }
            }
        } onCancel: {
            self.failWaiter(id, timedOut: false)
        }
    }

    private func failWaiter(_ id: UInt64, timedOut: Bool) {
        let waiter = state.withLock { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            if timedOut { state.timeoutsTotal += 1 }
            return state.waiters.remove(at: index)
        }
        guard let waiter else { return }
        if timedOut {
            timeoutCounter.increment()
            waiter.continuation.resume(
                throwing: PostgresError(
                    code: .poolTimeout,
                    message: "no connection of pool \"\(configuration.name)\" became free within \(configuration.acquireTimeout) (all \(configuration.maximumConnections) in use)"))
        } else {
            waiter.continuation.resume(throwing: CancellationError())
        }
    }

    private func release(_ connection: PostgresConnection) async {
        guard connection.isIdleAndHealthy else {
            discard(connection)
            await connection.close()
            return
        }
        let waiter = state.withLock { state -> Waiter? in
            if state.closed { return nil }
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.idle.append(connection)
            return nil
        }
        if let waiter {
            waiter.continuation.resume(returning: connection)
        } else if state.withLock({ $0.closed }) {
            discard(connection)
            await connection.close()
        }
        updateGauges()
    }

    /// Forgets a connection and hands its slot to the first waiter, which opens a new one.
    private func discard(_ connection: PostgresConnection) {
        discardCounter.increment()
        let waiter = state.withLock { state -> Waiter? in
            state.open -= 1
            state.discardedTotal += 1
            return state.waiters.isEmpty ? nil : state.waiters.removeFirst()
        }
        waiter?.continuation.resume(returning: nil)
        logger.debug("discarded a pooled connection", metadata: ["pool": "\(configuration.name)"])
        updateGauges()
    }

    private func updateGauges() {
        let statistics = self.statistics
        idleGauge.record(statistics.idle)
        inUseGauge.record(statistics.inUse)
    }
}

/// A pool is a service of the process: started first and shut down last in its `ServiceGroup`
/// (as postgres-nio's `PostgresClient` is), so every other service can use it until it stops.
extension PostgresPool: Service {
    /// Waits for the group's graceful shutdown (or cancellation), then closes every connection.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }
}
