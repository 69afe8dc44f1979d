/// Service protection API limits, per organization and per user (app), as one web server enforces them.
///
/// learn.microsoft.com/power-apps/developer/data-platform/api-limits: 6,000 requests and 1,200,000 ms of combined
/// execution time per user over a sliding 300-second window, and 52 concurrent requests. The fake simulates execution
/// time (`baseCostMilliseconds + costPerOperationMilliseconds × operations`) instead of measuring it, so tests can
/// reach every limit with small values.
public struct FakeDataverseLimits: Sendable, Equatable {
    /// Off: no 429 from the limits (the rate-limit headers are still sent).
    public var enabled = true
    /// The sliding window, in seconds.
    public var windowSeconds: Double = 300
    /// Requests per window; the request that crosses it is served, later ones get 429 `0x80072322`.
    public var requestLimit = 6000
    /// Combined execution time per window; once exceeded, requests get 429 `0x80072321`.
    public var executionTimeLimitMilliseconds = 1_200_000
    /// Requests in flight at once; one more gets an immediate 429 `0x80072326`.
    public var concurrencyLimit = 52
    /// Simulated execution time of every request.
    public var baseCostMilliseconds: Double = 5
    /// Simulated execution time added per operation (a write, an UpsertMultiple target, a `$batch` part).
    public var costPerOperationMilliseconds: Double = 2

    public init() {}
}
