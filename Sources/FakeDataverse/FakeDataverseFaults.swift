/// Faults the fake injects, each switchable while it runs.
public struct FakeDataverseFaults: Sendable {
    /// An answer given instead of the next organization request's own.
    public struct ScriptedAnswer: Sendable, Equatable {
        public var status: Int
        public var code: String
        public var message: String
        /// Sent as `Retry-After`; 429 answers without one get `FakeDataverseFaults.retryAfterSeconds`.
        public var retryAfterSeconds: Int?

        public init(status: Int, code: String = "", message: String = "Injected fault.", retryAfterSeconds: Int? = nil) {
            self.status = status
            self.code = code
            self.message = message
            self.retryAfterSeconds = retryAfterSeconds
        }
    }

    /// A validation error for one operation of a bulk request, so tests see the rollback.
    public struct OperationFailure: Sendable, Equatable {
        /// 1-based: the K-th target of an UpsertMultiple, the K-th part of a change set.
        public var operation: Int
        public var status: Int
        public var code: String
        public var message: String

        public init(
            operation: Int, status: Int = 400, code: String = "0x80044331",
            message: String = "A validation error occurred. A string value provided is too long."
        ) {
            self.operation = operation
            self.status = status
            self.code = code
            self.message = message
        }
    }

    /// The fraction of organization requests answered 429 with `throttleCode` (random, seeded).
    public var throttleRate: Double = 0
    /// `0x80072322` (requests), `0x80072321` (execution time) or `0x80072326` (concurrency).
    public var throttleCode = "0x80072322"
    /// `Retry-After` of injected 429s.
    public var retryAfterSeconds = 1
    /// Answers for the next organization requests, in order (after authentication and membership).
    public var scripted: [ScriptedAnswer] = []
    /// Fails that operation of the next UpsertMultiple or change set that reaches it (then clears itself).
    public var failOperation: OperationFailure?
    /// Added before every organization answer (while the request counts as in flight), except 429s of the limits.
    public var latency: Duration = .zero
    /// `expires_in` of issued tokens, in seconds.
    public var tokenLifetime = 3599
    /// Organization hosts that answer 503 (a host that is down).
    public var unreachableHosts: Set<String> = []

    public init() {}
}
