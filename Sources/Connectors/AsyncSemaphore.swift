import Foundation

/// A counting semaphore for tasks: waiters queue first come, first served, and a cancelled waiter leaves the queue.
public final class AsyncSemaphore: @unchecked Sendable {
    private let lock = NSLock()
    private var permits: Int
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    /// Waiters between `acquire` and being queued or served; a cancelled one is removed.
    private var pending: Set<UInt64> = []
    private var nextID: UInt64 = 0

    public init(permits: Int) {
        precondition(permits > 0, "a semaphore needs at least one permit")
        self.permits = permits
    }

    /// Waits for a permit; throws `CancellationError` when the task is cancelled while waiting.
    public func acquire() async throws {
        try Task.checkCancellation()
        let id: UInt64 = lock.withLock {
            nextID += 1
            return nextID
        }
        let immediate = lock.withLock {
            if permits > 0 {
                permits -= 1
                return true
            }
            pending.insert(id)
            return false
        }
        if immediate { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                lock.lock()
                guard pending.contains(id) else {
                    lock.unlock()
                    continuation.resume(throwing: CancellationError())
                    return
                }
                if permits > 0 {
                    permits -= 1
                    pending.remove(id)
                    lock.unlock()
                    continuation.resume()
                    return
                }
                waiters.append((id, continuation))
                lock.unlock()
            }
        } onCancel: {
            lock.lock()
            if let index = waiters.firstIndex(where: { $0.id == id }) {
                let waiter = waiters.remove(at: index)
                pending.remove(id)
                lock.unlock()
                waiter.continuation.resume(throwing: CancellationError())
            } else {
                pending.remove(id)
                lock.unlock()
            }
        }
    }

    public func release() {
        lock.lock()
        if !waiters.isEmpty {
            let waiter = waiters.removeFirst()
            pending.remove(waiter.id)
            lock.unlock()
            waiter.continuation.resume()
        } else {
            permits += 1
            lock.unlock()
        }
    }

    /// Runs `body` holding a permit.
    public func withPermit<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        try await acquire()
        defer { release() }
        return try await body()
    }
}
