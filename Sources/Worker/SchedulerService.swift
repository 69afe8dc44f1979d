import Foundation
import Logging
import ServiceLifecycle
import Platform

/// Ticks the enrichment scheduler inside `rapport serve`.
public struct SchedulerService: Service {
    let scheduler: EnrichmentScheduler
    let interval: Duration
    let logger: Logger

    public init(scheduler: EnrichmentScheduler, interval: Duration, logger: Logger) {
        self.scheduler = scheduler
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let tick = try await scheduler.tick(at: scheduler.platform.now())
                if !tick.enqueued.isEmpty {
                    logger.info("runs enqueued", metadata: ["count": "\(tick.enqueued.count)"])
                }
            } catch {
                logger.error("scheduler tick failed", metadata: ["error": "\(error)"])
            }
            // Ends early on shutdown, so stopping does not wait out the interval.
            let pause = interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
        }
    }
}
