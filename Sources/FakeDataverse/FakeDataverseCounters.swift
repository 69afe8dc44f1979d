/// What the fake served, for assertions and benchmarks.
public struct FakeDataverseCounters: Sendable, Equatable {
    /// Organization requests (token requests not included; a `$batch` is one).
    public var requests = 0
    public var tokenRequests = 0
    /// Token requests refused.
    public var tokenRefusals = 0
    /// Answers to organization requests by status.
    public var statuses: [Int: Int] = [:]
    /// 429 answers by code (limits and injected faults).
    public var throttled: [String: Int] = [:]
    public var upsertMultipleCalls = 0
    /// Targets of UpsertMultiple requests that were kept.
    public var upsertMultipleTargets = 0
    public var batchCalls = 0
    /// Operations inside `$batch` requests, change-set parts included.
    public var batchOperations = 0
    /// Rows created, updated and deleted (rolled-back changes not counted).
    public var created = 0
    public var updated = 0
    public var deleted = 0
    /// Requests whose writes were undone (an UpsertMultiple or single write that failed part-way).
    public var rolledBackRequests = 0
    /// Change sets that failed (their writes undone).
    public var rolledBackChangeSets = 0
    /// Highest number of organization requests in flight at any moment.
    public var maximumConcurrent = 0
    /// Sum of the simulated execution time of served requests.
    public var simulatedExecutionMilliseconds: Double = 0

    public init() {}
}
