import Foundation
import Platform
import Synchronization

/// The figures of a collection as it goes, published to the progress pane at most once a second.
final class GraphProgress: Sendable {
    private struct State {
        var counts: [String: Int]
        var lastPublished = ContinuousClock.now - .seconds(10)
    }

    private let state: Mutex<State>
    private let publish: @Sendable ([String: Int]) async -> Void
    private let statistics: GraphStatistics

    init(total: Int, statistics: GraphStatistics, publish: @escaping @Sendable ([String: Int]) async -> Void) {
        state = Mutex(State(counts: [
            "mailboxes_total": total, "mailboxes_done": 0, "mailboxes_forbidden": 0, "mailboxes_not_found": 0, "mailboxes_quota_exceeded": 0,
        ]))
        self.statistics = statistics
        self.publish = publish
    }

    func finished(_ outcome: GraphRunMailboxStore.State) async {
        let (snapshot, due): ([String: Int], Bool) = state.withLock { state in
            switch outcome {
            case .done: state.counts["mailboxes_done", default: 0] += 1
            case .forbidden: state.counts["mailboxes_forbidden", default: 0] += 1
            case .notFound: state.counts["mailboxes_not_found", default: 0] += 1
            case .quotaExceeded: state.counts["mailboxes_quota_exceeded", default: 0] += 1
            }
            let now = ContinuousClock.now
            let counts = state.counts
            let finished = counts["mailboxes_done", default: 0] + counts["mailboxes_forbidden", default: 0] + counts["mailboxes_not_found", default: 0]
                + counts["mailboxes_quota_exceeded", default: 0]
            let due = now - state.lastPublished >= .seconds(1) || finished == counts["mailboxes_total"]
            if due { state.lastPublished = now }
            return (counts, due)
        }
        if due { await publish(merged(snapshot)) }
    }

    var figures: [String: Int] { merged(state.withLock { $0.counts }) }

    private func merged(_ counts: [String: Int]) -> [String: Int] {
        let stats = statistics.snapshot
        var all = counts
        all["requests"] = stats.requests
        all["pages"] = stats.pages
        all["throttled"] = stats.throttled
        all["retries"] = stats.transientRetries
        all["restarts"] = stats.restarts
        for (reason, count) in stats.restartReasons { all["restarts_\(reason)"] = count }
        if stats.copiesLeftToOrganizer > 0 { all["meeting_copies_left_to_organizer"] = stats.copiesLeftToOrganizer }
        all["removed"] = stats.removed
        all["token_requests"] = stats.tokenRequests
        all["token_refreshes"] = stats.tokenRefreshes
        return all
    }
}
