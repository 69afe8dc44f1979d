import Engagement
import Foundation
import Postgres

/// Enqueues the runs that are due: each enrichment's first run after consent, then its schedule.
///
/// Several servers may tick at once; each tick takes a transaction-level
/// advisory lock first, so one server (the leader of that tick) enqueues and
/// the others skip. Due enrichments are also locked row by row, and an
/// environment never has two runs queued or running.
public struct EnrichmentScheduler: Sendable {
    public let platform: Platform

    static let lockKey: Int64 = 0x5241_5050_4f52_5402

    public init(platform: Platform) {
        self.platform = platform
    }

    /// What one tick did.
    public struct Tick: Sendable, Equatable {
        /// False when another server held the lock.
        public var wasLeader: Bool
        public var enqueued: [UUID]
        /// Due enrichments whose previous run was still queued or running: that slot is skipped.
        public var skipped: Int
    }

    /// Enqueues every run due at `moment`.
    public func tick(at moment: Date) async throws -> Tick {
        try await platform.control.pool.withTransaction { connection in
            let leader = try await connection.query("SELECT pg_try_advisory_xact_lock(\(Self.lockKey))")[0].decode(Bool.self, at: 0)
            guard leader else { return Tick(wasLeader: false, enqueued: [], skipped: 0) }
            let due = try await connection.query(
                """
                SELECT e.tenant_id, e.environment_id, e.next_run_at, e.schedule, v.region,
                       EXISTS (SELECT 1 FROM run r WHERE r.tenant_id = e.tenant_id AND r.environment_id = e.environment_id) AS ran_before,
                       EXISTS (SELECT 1 FROM run r WHERE r.tenant_id = e.tenant_id AND r.environment_id = e.environment_id
                               AND r.status IN ('queued', 'running')) AS busy
                FROM enrichment e
                JOIN environment v USING (tenant_id, environment_id)
                JOIN consent c ON c.tenant_id = e.tenant_id AND c.status = 'granted'
                WHERE e.next_run_at <= \(moment) AND e.schedule <> 'off'
                ORDER BY e.next_run_at
                FOR UPDATE OF e SKIP LOCKED
                """)
            var tick = Tick(wasLeader: true, enqueued: [], skipped: 0)
            for row in due {
                let (tenant, environment, nextRun, scheduleText, regionText, ranBefore, busy) = try row.decode(
                    (UUID, UUID, Date, String, String, Bool, Bool).self)
                let schedule = EnrichmentConfiguration.Schedule(rawValue: scheduleText) ?? .weekly
                if busy {
                    tick.skipped += 1
                } else {
                    let id = UUID()
                    try await connection.execute(
                        """
                        INSERT INTO run (tenant_id, run_id, environment_id, region, status, trigger, scheduled_for, as_of, created_at)
                        VALUES (\(tenant), \(id), \(environment), \(regionText), 'queued', \(ranBefore ? "schedule" : "first"), \(nextRun), \(nextRun), \(moment))
                        """)
                    for step in RunStep.allCases {
                        try await connection.execute(
                            "INSERT INTO run_step (tenant_id, run_id, position, step, state) VALUES (\(tenant), \(id), \(step.position), \(step.rawValue), 'pending')")
                    }
                    tick.enqueued.append(id)
                }
                try await connection.execute(
                    """
                    UPDATE enrichment SET next_run_at = \(Self.following(nextRun, schedule: schedule, after: moment))
                    WHERE tenant_id = \(tenant) AND environment_id = \(environment)
                    """)
            }
            return tick
        }
    }

    /// The first slot of `schedule` after `moment`, counted from `slot`.
    public static func following(_ slot: Date, schedule: EnrichmentConfiguration.Schedule, after moment: Date) -> Date? {
        let step: DateComponents
        switch schedule {
        case .daily: step = DateComponents(day: 1)
        case .weekly: step = DateComponents(day: 7)
        case .monthly: step = DateComponents(month: 1)
        case .off: return nil
        }
        var next = slot
        repeat {
            guard let advanced = Calendar.utc.date(byAdding: step, to: next) else { return nil }
            next = advanced
        } while next <= moment
        return next
    }
}
