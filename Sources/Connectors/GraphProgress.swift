import Foundation
import Platform

/// The figures of a collection as it goes, published to the progress pane at most once a second.
final class GraphProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int]
    private var lastPublished = ContinuousClock.now - .seconds(10)
    private let publish: @Sendable ([String: Int]) async -> Void
    private let statistics: GraphStatistics

    init(total: Int, statistics: GraphStatistics, publish: @escaping @Sendable ([String: Int]) async -> Void) {
        counts = ["mailboxes_total": total, "mailboxes_done": 0, "mailboxes_forbidden": 0, "mailboxes_not_found": 0]
        self.statistics = statistics
        self.publish = publish
    }

    func finished(_ state: GraphRunMailboxStore.State) async {
        let (snapshot, due): ([String: Int], Bool) = lock.withLock {
            switch state {
            case .done: counts["mailboxes_done", default: 0] += 1
            case .forbidden: counts["mailboxes_forbidden", default: 0] += 1
            case .notFound: counts["mailboxes_not_found", default: 0] += 1
            }
            let now = ContinuousClock.now
            let finished = counts["mailboxes_done", default: 0] + counts["mailboxes_forbidden", default: 0] + counts["mailboxes_not_found", default: 0]
            let due = now - lastPublished >= .seconds(1) || finished == counts["mailboxes_total"]
            if due { lastPublished = now }
            return (counts, due)
        }
        if due { await publish(merged(snapshot)) }
    }

    var figures: [String: Int] { merged(lock.withLock { counts }) }

    private func merged(_ counts: [String: Int]) -> [String: Int] {
        let stats = statistics.snapshot
        var all = counts
        all["requests"] = stats.requests
        all["pages"] = stats.pages
        all["throttled"] = stats.throttled
        all["retries"] = stats.transientRetries
        all["restarts"] = stats.restarts
        all["removed"] = stats.removed
        all["token_requests"] = stats.tokenRequests
        all["token_refreshes"] = stats.tokenRefreshes
        return all
    }
}
