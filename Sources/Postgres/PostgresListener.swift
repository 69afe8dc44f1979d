import CLibpq
import Foundation
import Logging
import Synchronization

/// A notification delivered by `NOTIFY` or `pg_notify`.
public struct PostgresNotification: Sendable, Equatable {
    public var channel: String
    public var payload: String
    /// The server process that sent it.
    public var senderPID: Int32
}

/// LISTEN on a dedicated connection, resubscribing every channel after a reconnect.
///
/// Notifications sent while the connection was down are lost (PostgreSQL does
/// not queue them for a listener that is gone); `reconnects` counts the outages
/// so a consumer can resynchronise from the tables after one.
public final class PostgresListener: Sendable {
    private struct State {
        var channels: Set<String> = []
        var subscribers: [UUID: (channels: Set<String>, continuation: AsyncStream<PostgresNotification>.Continuation)] = [:]
        var reconnects = 0
        var connectedOnce = false
        var stopped = false
    }

    private let connectionString: String
    private let logger: Logger
    private let state = Mutex(State())
    private let loop = Mutex<Task<Void, Never>?>(nil)

    public init(connectionString: String, logger: Logger = Logger(label: "rapport.postgres.listener")) {
        self.connectionString = connectionString
        self.logger = logger
    }

    /// How many times the listener had to reconnect.
    public var reconnects: Int { state.withLock { $0.reconnects } }

    /// A stream of the notifications on `channels`; it ends when the listener stops.
    ///
    /// The LISTEN is in place when this returns.
    public func notifications(channels: Set<String>) async throws -> AsyncStream<PostgresNotification> {
        let (stream, continuation) = AsyncStream.makeStream(of: PostgresNotification.self, bufferingPolicy: .unbounded)
        let id = UUID()
        state.withLock { state in
            state.subscribers[id] = (channels, continuation)
            state.channels.formUnion(channels)
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
        }
        try await ensureRunning()
        try await subscribeNow(channels)
        return stream
    }

    /// Stops listening and finishes every stream.
    public func stop() async {
        let task = loop.withLock { $0 }
        let subscribers = state.withLock { state in
            state.stopped = true
            let subscribers = state.subscribers.values.map(\.continuation)
            state.subscribers.removeAll()
            return subscribers
        }
        task?.cancel()
        await task?.value
        for continuation in subscribers { continuation.finish() }
    }

    // MARK: - The loop

    private let current = Mutex<PostgresConnection?>(nil)

    private func ensureRunning() async throws {
        let needsStart = loop.withLock { task -> Bool in task == nil }
        guard needsStart else { return }
        let connection = try await connectAndListen()
        loop.withLock { task in
            guard task == nil else { return }
            task = Task { [weak self] in await self?.run(connection) }
        }
    }

    private func subscribeNow(_ channels: Set<String>) async throws {
        guard let connection = current.withLock({ $0 }) else { return }
        for channel in channels.sorted() {
            try await connection.execute("LISTEN \(identifier: channel)")
        }
    }

    private func connectAndListen() async throws -> PostgresConnection {
        let connection = try await PostgresConnection.connect(connectionString, logger: logger)
        let channels = state.withLock { $0.channels }
        for channel in channels.sorted() {
            try await connection.execute("LISTEN \(identifier: channel)")
        }
        current.withLock { $0 = connection }
        return connection
    }

    private func run(_ first: PostgresConnection) async {
        var connection: PostgresConnection? = first
        var backoff = Duration.milliseconds(100)
        while !Task.isCancelled && !state.withLock({ $0.stopped }) {
            guard let active = connection else {
                do {
                    try await Task.sleep(for: backoff)
                    connection = try await connectAndListen()
                    backoff = .milliseconds(100)
                    state.withLock { $0.reconnects += 1 }
                    logger.info("listener reconnected")
                } catch is CancellationError {
                    break
                } catch {
                    backoff = min(backoff * 2, .seconds(5))
                    logger.warning("listener reconnect failed", metadata: ["error": "\(error)"])
                }
                continue
            }
            do {
                let notifications = try await active.thread.run { try active.onThreadWaitForNotifications(milliseconds: 250) }
                deliver(notifications)
            } catch {
                logger.warning("listener connection lost", metadata: ["error": "\(error)"])
                current.withLock { $0 = nil }
                await active.close()
                connection = nil
            }
        }
        if let connection { await connection.close() }
    }

    private func deliver(_ notifications: [PostgresNotification]) {
        guard !notifications.isEmpty else { return }
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for notification in notifications {
            for subscriber in subscribers where subscriber.channels.contains(notification.channel) {
                subscriber.continuation.yield(notification)
            }
        }
    }
}

extension PostgresConnection {
    /// Waits up to `milliseconds` for input and returns the notifications received.
    func onThreadWaitForNotifications(milliseconds: Int32) throws -> [PostgresNotification] {
        try withHandle { handle in
            var notifications: [PostgresNotification] = []
            func drain() {
                while let notify = PQnotifies(handle) {
                    notifications.append(
                        PostgresNotification(
                            channel: String(cString: notify.pointee.relname),
                            payload: String(cString: notify.pointee.extra),
                            senderPID: notify.pointee.be_pid))
                    PQfreemem(notify)
                }
            }
            drain()
            if !notifications.isEmpty { return notifications }
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready < 0 && errno != EINTR {
                throw PostgresError(code: .connectionClosed, message: "poll failed")
            }
            if PQconsumeInput(handle) == 0 || PQstatus(handle) != CONNECTION_OK {
                refreshSnapshot()
                throw connectionError(handle, fallback: "the listening connection was lost")
            }
            drain()
            return notifications
        }
    }
}
