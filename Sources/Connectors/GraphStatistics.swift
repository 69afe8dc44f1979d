import Foundation
import Synchronization

/// Counters of one collection: requests, throttling, retries, token traffic, restarts.
public final class GraphStatistics: Sendable {
    public struct Snapshot: Sendable, Equatable {
        /// Graph API requests sent (retries included; token requests not).
        public var requests = 0
        /// 429, 503 and 504 answers.
        public var throttled = 0
        /// Retries after other transient faults (5xx, network, timeouts).
        public var transientRetries = 0
        /// Requests to the token endpoint.
        public var tokenRequests = 0
        /// Tokens refreshed because Graph answered 401.
        public var tokenRefreshes = 0
        /// Folders synced from scratch again because their delta state had expired.
        public var restarts = 0
        /// Those restarts by Graph's reason (`syncStateNotFound`, `HTTP 410`…).
        public var restartReasons: [String: Int] = [:]
        /// Attendee copies of meetings a selected mailbox organizes, left to the organizer's copy.
        public var copiesLeftToOrganizer = 0
        /// Pages received.
        public var pages = 0
        /// Items marked `@removed`.
        public var removed = 0
    }

    private let values = Mutex(Snapshot())
    /// The collection's counters, which a folder's counters add to as well.
    private let parent: GraphStatistics?

    public init(parent: GraphStatistics? = nil) {
        self.parent = parent
    }

    public var snapshot: Snapshot { values.withLock { $0 } }

    func add(_ change: (inout Snapshot) -> Void) {
        values.withLock { change(&$0) }
        parent?.add(change)
    }
}
