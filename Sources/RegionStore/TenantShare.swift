import Engagement
import Foundation
import Synchronization

/// Caps how many of a region pool's connections one tenant holds at once.
///
/// A tenant's slow requests then leave the rest of the pool to the other
/// tenants of the region. A request over its tenant's share waits its turn
/// (first come, first served) up to `timeout`, then fails with `.unavailable`.
public final class TenantShare: Sendable {
    private struct Waiter {
        let id: UInt64
        let tenant: UUID
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var inUse: [UUID: Int] = [:]
        var waiters: [Waiter] = []
        /// Waiters that timed out or were cancelled before they were queued.
        var gone: Set<UInt64> = []
        var nextID: UInt64 = 0
    }

    public let limit: Int
    public let timeout: Duration
    private let state = Mutex(State())

    public init(limit: Int, timeout: Duration = .seconds(10)) {
        self.limit = max(1, limit)
        self.timeout = timeout
    }

    /// Runs `body` holding one of `tenant`'s connections.
    public func withShare<Result>(
        _ tenant: UUID, isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> Result
    ) async throws -> Result {
        try await acquire(tenant)
        defer { release(tenant) }
        return try await body()
    }

    /// Connections `tenant` holds now (for tests and metrics).
    public func inUse(_ tenant: UUID) -> Int {
        state.withLock { $0.inUse[tenant] ?? 0 }
    }

    private func acquire(_ tenant: UUID) async throws {
        let id: UInt64? = state.withLock { state in
            if state.inUse[tenant, default: 0] < limit {
                state.inUse[tenant, default: 0] += 1
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return }
        let budget = timeout
        let timer = Task { [weak self] in
            try await Task.sleep(for: budget)
            self?.abandon(id, with: ServiceError(.unavailable, "this tenant already uses its share of the region database; try again shortly"))
        }
        defer { timer.cancel() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if state.gone.remove(id) != nil {
                        return .failure(ServiceError(.unavailable, "this tenant already uses its share of the region database; try again shortly"))
                    }
                    if state.inUse[tenant, default: 0] < limit {
                        state.inUse[tenant, default: 0] += 1
                        return .success(())
                    }
                    state.waiters.append(Waiter(id: id, tenant: tenant, continuation: continuation))
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            abandon(id, with: CancellationError())
        }
    }

    /// Takes a waiter out of the queue with `error` (timed out or cancelled).
    private func abandon(_ id: UInt64, with error: any Error) {
        let waiter = state.withLock { state -> Waiter? in
            if let index = state.waiters.firstIndex(where: { $0.id == id }) { return state.waiters.remove(at: index) }
            state.gone.insert(id)
            return nil
        }
        waiter?.continuation.resume(throwing: error)
    }

    private func release(_ tenant: UUID) {
        let next = state.withLock { state -> Waiter? in
            if let index = state.waiters.firstIndex(where: { $0.tenant == tenant }) {
                // The slot passes straight to the tenant's next waiter.
                return state.waiters.remove(at: index)
            }
            let count = state.inUse[tenant, default: 1] - 1
            state.inUse[tenant] = count > 0 ? count : nil
            return nil
        }
        next?.continuation.resume()
    }
}
