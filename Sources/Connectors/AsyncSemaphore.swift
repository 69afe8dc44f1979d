import Foundation
import Synchronization

/// A counting semaphore for tasks: waiters queue first come, first served, and a cancelled waiter leaves the queue.
public final class AsyncSemaphore: Sendable {
    private typealias Waiter = (id: UInt64, continuation: CheckedContinuation<Void, any Error>)

    private struct State {
        var permits: Int
        var waiters: [Waiter] = []
        /// Waiters between `acquire` and being queued or served; a cancelled one is removed.
        var pending: Set<UInt64> = []
        var nextID: UInt64 = 0
    }

    private let state: Mutex<State>

    public init(permits: Int) {
        precondition(permits > 0, "a semaphore needs at least one permit")
        state = Mutex(State(permits: permits))
    }

    /// Waits for a permit; throws `CancellationError` when the task is cancelled while waiting.
    public func acquire() async throws {
        try Task.checkCancellation()
        let id: UInt64 = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let immediate = state.withLock { state in
            if state.permits > 0 {
                state.permits -= 1
                return true
            }
            state.pending.insert(id)
            return false
        }
        if immediate { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let served: Bool? = state.withLock { state in
                    guard state.pending.contains(id) else { return nil }
                    if state.permits > 0 {
                        state.permits -= 1
                        state.pending.remove(id)
                        return true
                    }
                    state.waiters.append((id, continuation))
                    return false
                }
                switch served {
                case nil: continuation.resume(throwing: CancellationError())
                case true?: continuation.resume()
                case false?: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                state.pending.remove(id)
                return state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0) }
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    public func release() {
        let waiter = state.withLock { state -> Waiter? in
            if state.waiters.isEmpty {
                state.permits += 1
                return nil
            }
            let waiter = state.waiters.removeFirst()
            state.pending.remove(waiter.id)
            return waiter
        }
        waiter?.continuation.resume()
    }

    /// Runs `body` holding a permit.
    public func withPermit<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        try await acquire()
        defer { release() }
        return try await body()
    }
}
