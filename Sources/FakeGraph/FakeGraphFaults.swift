/// Faults the fake Graph server injects, each switchable while it runs.
public struct FakeGraphFaults: Sendable {
    /// The fraction of Graph API requests answered with `throttleStatus` (random, seeded).
    public var throttleRate: Double = 0
    /// 429, 503 or 504.
    public var throttleStatus: Int = 429
    /// The `Retry-After` sent with throttling answers; nil sends none.
    public var retryAfterSeconds: Int? = 1
    /// Statuses for the next Graph API requests, in order (e.g. `[429, 503, 504, 500]`).
    public var scripted: [Int] = []
    /// User ids whose mailbox requests get 403 `ErrorAccessDenied` (an application access policy).
    public var forbiddenUsers: Set<String> = []
    /// `userID/folder` keys whose next tokened request finds its sync state expired, once.
    public var goneFolders: Set<String> = []
    /// How an expired sync state is answered: Microsoft documents "a 40X-series error … such as
    /// `syncStateNotFound`" and 410 Gone; clients must go by the code, not the status alone.
    public var goneStatus: Int = 410
    public var goneCode: String = "SyncStateNotFound"
    /// Applying `$filter` in a message delta query "returns only up to 5,000 messages"
    /// (learn.microsoft.com/graph/delta-query-messages); nil lifts the cap.
    public var filteredDeltaCap: Int? = 5000
    /// User ids whose mailbox is full: folder delta answers 403 `ErrorQuotaExceeded` (reads of other kinds still work).
    public var quotaExceededUsers: Set<String> = []
    /// Added before every Graph API answer.
    public var latency: Duration = .zero
    /// `expires_in` of issued tokens.
    public var tokenLifetime: Int = 3599

    public init() {}
}

/// What the fake served, for assertions and the benchmark.
public struct FakeGraphCounters: Sendable, Equatable {
    /// Graph API requests (token requests not included).
    public var requests = 0
    public var tokenRequests = 0
    /// Requests refused with 429, 503 or 504.
    public var throttled = 0
    /// Requests refused with 401 (no, unknown or expired token).
    public var unauthorized = 0
    /// Delta requests that started a full sync (no token).
    public var fullSyncs = 0
    /// Requests that carried a `$deltatoken`.
    public var deltaRequests = 0
    /// Requests that carried a `$skiptoken`.
    public var skipRequests = 0
    /// Message requests without `$select`, or selecting a body or subject field.
    public var selectViolations = 0
    /// Mailbox requests without `Prefer: IdType="ImmutableId"`.
    public var withoutImmutableIDs = 0
    /// Mailbox requests without an `odata.maxpagesize` preference.
    public var withoutPageSize = 0
    /// Graph API requests without a `client-request-id` GUID.
    public var withoutClientRequestID = 0
    /// Full syncs of a mail folder whose filtered round was cut at the cap.
    public var cappedRounds = 0
    /// Items and removals served.
    public var itemsServed = 0
    /// Answers by status.
    public var statuses: [Int: Int] = [:]
    /// Highest number of requests in flight for one mailbox at any moment.
    public var maximumConcurrentPerMailbox = 0
    /// Highest number of Graph API requests in flight at any moment.
    public var maximumConcurrent = 0
    /// Mailbox requests by user id.
    public var requestsByUser: [String: Int] = [:]
    /// Delta requests by `userID/folder`.
    public var requestsByFolder: [String: Int] = [:]

    public init() {}
}
