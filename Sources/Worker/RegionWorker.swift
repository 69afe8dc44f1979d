import Engagement
import Foundation
import Logging
import ServiceLifecycle
import Platform

/// A worker bound to one region: it claims that region's runs and executes them.
///
/// It opens only its region's database (and the control database, where the
/// queue is), checks the database is stamped for its region before working,
/// renews its lease while a run goes on, and on SIGTERM finishes the step at
/// hand and hands the run back.
public struct RegionWorker: Service {
    public struct Configuration: Sendable {
        public var region: Region
        /// Names the worker in leases; host and process id by default.
        public var workerID: String
        /// How long a claim lasts without a heartbeat.
        public var lease: TimeInterval
        /// How long the worker sleeps when there is nothing to do.
        public var pollInterval: Duration
        /// Test hook: stop (to be killed) when this step starts.
        public var pauseAt: RunStep?
        /// The longest statement a run may make in the region database (nil: no limit).
        public var statementTimeout: Duration?

        public init(
            region: Region, workerID: String? = nil, lease: TimeInterval = 60, pollInterval: Duration = .seconds(5),
            pauseAt: RunStep? = nil, statementTimeout: Duration? = .seconds(3600)
        ) {
            self.region = region
            self.workerID = workerID ?? "\(ProcessInfo.processInfo.hostName)/\(getpid())/\(region.rawValue)"
            self.lease = lease
            self.pollInterval = pollInterval
            self.pauseAt = pauseAt
            self.statementTimeout = statementTimeout
        }
    }

    let platform: Platform
    let configuration: Configuration
    let collectors: [any ActivityCollector]
    let exporters: [any ResultExporter]
    let logger: Logger

    public init(
        platform: Platform, configuration: Configuration, collectors: [any ActivityCollector] = [], exporters: [any ResultExporter] = [],
        logger: Logger
    ) {
        self.platform = platform
        self.configuration = configuration
        self.collectors = collectors
        self.exporters = exporters
        self.logger = logger
    }

    /// Works until shut down.
    public func run() async throws {
        try await platform.regions.database(for: configuration.region).verifyIdentity()
        logger.info("worker started", metadata: ["region": "\(configuration.region.rawValue)", "worker": "\(configuration.workerID)"])
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let worked: Bool
            do {
                worked = try await runOnce()
            } catch {
                logger.error("worker loop error", metadata: ["error": "\(error)"])
                worked = false
            }
            if !worked {
                // The pause ends early on shutdown, so a stopping service does not wait out the poll interval.
                let pause = configuration.pollInterval
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
            }
        }
        logger.info("worker stopped", metadata: ["worker": "\(configuration.workerID)"])
    }

    /// Claims and executes one run; false when none was due.
    @discardableResult
    public func runOnce() async throws -> Bool {
        let queue = platform.runs
        guard let run = try await queue.claim(
            region: configuration.region, worker: configuration.workerID, lease: configuration.lease, at: Self.queueTime())
        else { return false }
        logger.info("claimed run", metadata: ["run": "\(run.id)", "attempt": "\(run.attempts)"])
        try await execute(run)
        return true
    }

    /// Runs the pipeline for one environment now, in this process (`rapport enrich`), and returns the finished run.
    ///
    /// The run is created already claimed by this worker, so no other worker of the region races for it;
    /// it collects with this worker's collectors (none for `rapport enrich`: the activity is already stored).
    public func enrichNow(_ environment: ControlStore.Environment, asOf: Date?) async throws -> RunRecord {
        let queue = platform.runs
        let moment = platform.now()
        let run = try await queue.enqueue(
            tenant: environment.tenantID, environment: environment.id, region: environment.region, trigger: .command,
            scheduledFor: asOf ?? moment, at: moment, claimedBy: configuration.workerID, lease: configuration.lease)
        try await execute(run)
        return try await queue.run(tenant: environment.tenantID, id: run.id) ?? run
    }

    /// Executes a run this worker holds (claimed from the queue, or created claimed by `rapport enrich`),
    /// renewing its lease, and records the outcome.
    public func execute(_ run: RunRecord) async throws {
        let queue = platform.runs
        let pipeline = RunPipeline(
            platform: platform, region: configuration.region, collectors: collectors, exporters: exporters, logger: logger,
            pauseAt: configuration.pauseAt)
        let workerID = configuration.workerID
        let lease = configuration.lease
        let outcome = await withTaskGroup(of: Outcome?.self) { group -> Outcome in
            group.addTask {
                do {
                    try await withGracefulShutdownHandler {
                        try await StatementBudget.$current.withValue(configuration.statementTimeout) {
                            try await pipeline.execute(run)
                        }
                    } onGracefulShutdown: {
                        // The step at hand finishes; the loop checks cancellation between steps.
                    }
                    return .finished
                } catch is CancellationError {
                    return .interrupted
                } catch {
                    return .failed(error)
                }
            }
            group.addTask {
                // Heartbeat: renew the lease; stop the pipeline when the run is no longer ours.
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(max(1, lease / 3)))
                    if Task.isCancelled { return nil }
                    let held = (try? await queue.heartbeat(run, worker: workerID, lease: lease, at: Self.queueTime())) ?? true
                    if !held { return .lost }
                }
                return nil
            }
            var result: Outcome = .interrupted
            while let next = await group.next() {
                guard let next else { continue }
                result = next
                group.cancelAll()
                break
            }
            return result
        }
        switch outcome {
        case .finished:
            try await queue.succeed(run, worker: workerID, at: platform.now())
            logger.info("run succeeded", metadata: ["run": "\(run.id)"])
        case .failed(let error):
            let failure = error as? RunFailure
            logger.warning("run attempt failed", metadata: ["run": "\(run.id)", "error": "\(error)"])
            try await queue.fail(run, worker: workerID, error: RunFailure.message(for: error), retryable: failure?.retryable ?? true, at: Self.queueTime())
        case .interrupted:
            try await queue.release(run, worker: workerID)
            logger.info("run handed back", metadata: ["run": "\(run.id)"])
        case .lost:
            logger.warning("run lost (cancelled or taken over)", metadata: ["run": "\(run.id)"])
        }
    }

    /// The time the run queue judges due runs, leases and retry backoffs by: the wall clock.
    ///
    /// Only the wall clock is shared by every worker process (`rapport worker`) and the database's `now()`, so a
    /// claim, a heartbeat and a failed attempt's retry time use it; what a run records as it goes uses `platform.now`.
    static func queueTime() -> Date { Date() }

    enum Outcome: Sendable {
        case finished
        case failed(any Error)
        case interrupted
        case lost
    }
}
