import Engagement
import Foundation
import Postgres

/// The run queue in the control database: enqueue, claim with a lease, report steps, finish.
///
/// A worker claims only runs of its region (`FOR UPDATE SKIP LOCKED`), renews
/// its lease while it works, and loses the run when the lease lapses: another
/// worker of the region then takes it over and resumes after the last
/// succeeded step. A failed attempt is retried with backoff up to
/// `maximumAttempts`, then the run fails with the reason.
public struct RunQueue: Sendable {
    public let pool: PostgresPool
    public var maximumAttempts: Int

    public init(pool: PostgresPool, maximumAttempts: Int = 5) {
        self.pool = pool
        self.maximumAttempts = maximumAttempts
    }

    /// Queues a run; a conflict when the environment already has one queued or running.
    ///
    /// With `claimedBy`, the run is created already claimed by that worker (for `lease` seconds),
    /// so a process that runs it itself (`rapport enrich`) never races the region's workers for it.
    public func enqueue(
        tenant: UUID, environment: UUID, region: Region, trigger: RunRecord.Trigger, scheduledFor: Date, at moment: Date,
        claimedBy worker: String? = nil, lease: TimeInterval = 60
    ) async throws -> RunRecord {
        let id = UUID()
        let status = worker == nil ? "queued" : "running"
        let leaseEnd = worker.map { _ in moment.addingTimeInterval(lease) }
        try await pool.withTransaction { connection in
            do {
                try await connection.execute(
                    """
                    INSERT INTO run (tenant_id, run_id, environment_id, region, status, trigger, scheduled_for, as_of, created_at,
                                     attempts, lease_owner, lease_expires_at, started_at)
                    VALUES (\(tenant), \(id), \(environment), \(region.rawValue), \(status), \(trigger.rawValue), \(scheduledFor), \(scheduledFor),
                            \(moment), \(worker == nil ? 0 : 1), \(worker), \(leaseEnd), \(worker == nil ? nil : moment))
                    """)
            } catch let error as PostgresError where error.isUniqueViolation {
                throw ServiceError(.conflict, "a run of this environment is already queued or running")
            }
            for step in RunStep.allCases {
                try await connection.execute(
                    "INSERT INTO run_step (tenant_id, run_id, position, step, state) VALUES (\(tenant), \(id), \(step.position), \(step.rawValue), 'pending')")
            }
        }
        return try await run(tenant: tenant, id: id)!
    }

    /// Claims the next due run of `region` for `worker`: a queued one, or a running one whose lease lapsed.
    public func claim(region: Region, worker: String, lease: TimeInterval, at moment: Date) async throws -> RunRecord? {
        let claimed = try await pool.withTransaction { connection -> (UUID, UUID)? in
            let rows = try await connection.query(
                """
                SELECT tenant_id, run_id, status, attempts FROM run
                WHERE region = \(region.rawValue)
                  AND ((status = 'queued' AND scheduled_for <= \(moment)) OR (status = 'running' AND lease_expires_at < \(moment)))
                ORDER BY scheduled_for LIMIT 1 FOR UPDATE SKIP LOCKED
                """)
            guard let row = rows.first else { return nil }
            let (tenant, id, status, attempts) = try row.decode((UUID, UUID, String, Int).self)
            if status == "running" && attempts >= maximumAttempts {
                // Its worker died once too often: give up with the reason.
                try await connection.execute(
                    """
                    UPDATE run SET status = 'failed', finished_at = \(moment), lease_owner = NULL, lease_expires_at = NULL,
                        error = \("the run was interrupted \(attempts) times (its worker was lost); giving up")
                    WHERE tenant_id = \(tenant) AND run_id = \(id)
                    """)
                return nil
            }
            try await connection.execute(
                """
                UPDATE run SET status = 'running', attempts = attempts + 1, lease_owner = \(worker),
                    lease_expires_at = \(moment.addingTimeInterval(lease)), started_at = coalesce(started_at, \(moment))
                WHERE tenant_id = \(tenant) AND run_id = \(id)
                """)
            // Steps a lost worker left running start again.
            try await connection.execute(
                "UPDATE run_step SET state = 'pending', started_at = NULL WHERE tenant_id = \(tenant) AND run_id = \(id) AND state = 'running'")
            return (tenant, id)
        }
        guard let (tenant, id) = claimed else { return nil }
        return try await run(tenant: tenant, id: id)
    }

    /// Renews the lease; false when the run is no longer this worker's (cancelled, or taken over).
    public func heartbeat(_ run: RunRecord, worker: String, lease: TimeInterval, at moment: Date) async throws -> Bool {
        try await pool.query(
            """
            UPDATE run SET lease_expires_at = \(moment.addingTimeInterval(lease))
            WHERE tenant_id = \(run.tenantID) AND run_id = \(run.id) AND status = 'running' AND lease_owner = \(worker)
            """
        ).affectedRows == 1
    }

    public func stepStarted(_ run: RunRecord, _ step: RunStep, at moment: Date) async throws {
        // An upsert: a run queued before a step existed has no row for it.
        try await pool.query(
            """
            INSERT INTO run_step (tenant_id, run_id, position, step, state, started_at)
            VALUES (\(run.tenantID), \(run.id), \(step.position), \(step.rawValue), 'running', \(moment))
            ON CONFLICT (tenant_id, run_id, position) DO UPDATE SET state = 'running', started_at = excluded.started_at, finished_at = NULL, error = NULL
            """)
    }

    public func stepFinished(
        _ run: RunRecord, _ step: RunStep, state: RunRecord.Step.State, counts: [String: Int] = [:], error: String? = nil,
        at moment: Date
    ) async throws {
        try await pool.query(
            """
            UPDATE run_step SET state = \(state.rawValue), counts = \(PostgresJSON(counts)), finished_at = \(moment), error = \(error)
            WHERE tenant_id = \(run.tenantID) AND run_id = \(run.id) AND position = \(step.position)
            """)
    }

    /// Marks the run succeeded, if this worker still holds it.
    @discardableResult
    public func succeed(_ run: RunRecord, worker: String, at moment: Date) async throws -> Bool {
        try await pool.query(
            """
            UPDATE run SET status = 'succeeded', finished_at = \(moment), lease_owner = NULL, lease_expires_at = NULL, error = NULL
            WHERE tenant_id = \(run.tenantID) AND run_id = \(run.id) AND status = 'running' AND lease_owner = \(worker)
            """
        ).affectedRows == 1
    }

    /// Records a failed attempt: queued again after a backoff, or failed for good after `maximumAttempts`.
    public func fail(_ run: RunRecord, worker: String, error: String, retryable: Bool, at moment: Date) async throws {
        let message = String(error.prefix(1000))
        let giveUp = !retryable || run.attempts >= maximumAttempts
        let backoff = min(3600, 30 * pow(2, Double(max(0, run.attempts - 1))))
        try await pool.query(
            """
            UPDATE run SET status = \(giveUp ? "failed" : "queued"), error = \(message), lease_owner = NULL, lease_expires_at = NULL,
                scheduled_for = \(moment.addingTimeInterval(backoff)), finished_at = \(giveUp ? moment : nil)
            WHERE tenant_id = \(run.tenantID) AND run_id = \(run.id) AND status = 'running' AND lease_owner = \(worker)
            """)
    }

    /// Hands a run back to the queue at once (graceful shutdown), keeping its finished steps.
    public func release(_ run: RunRecord, worker: String) async throws {
        try await pool.query(
            """
            UPDATE run SET status = 'queued', attempts = greatest(attempts - 1, 0), lease_owner = NULL, lease_expires_at = NULL
            WHERE tenant_id = \(run.tenantID) AND run_id = \(run.id) AND status = 'running' AND lease_owner = \(worker)
            """)
        try await pool.query(
            "UPDATE run_step SET state = 'pending', started_at = NULL WHERE tenant_id = \(run.tenantID) AND run_id = \(run.id) AND state = 'running'")
    }

    public func run(tenant: UUID, id: UUID) async throws -> RunRecord? {
        try await runs(tenant: tenant, filter: "run_id = \(id)", limit: 1).first
    }

    /// The environment's runs, newest first.
    public func runs(tenant: UUID, environment: UUID, limit: Int = 50) async throws -> [RunRecord] {
        try await runs(tenant: tenant, filter: "environment_id = \(environment)", limit: limit)
    }

    /// The queued or running run of the environment, if any.
    public func active(tenant: UUID, environment: UUID) async throws -> RunRecord? {
        try await runs(tenant: tenant, filter: "environment_id = \(environment) AND status IN ('queued', 'running')", limit: 1).first
    }

    private func runs(tenant: UUID, filter: PostgresQuery, limit: Int) async throws -> [RunRecord] {
        let rows = try await pool.query(
            "SELECT \(RunRecord.columns) FROM run WHERE tenant_id = \(tenant) AND \(filter) ORDER BY created_at DESC LIMIT \(limit)")
        var runs: [RunRecord] = []
        for row in rows {
            let id: UUID = try row.decode(column: "run_id")
            let steps = try await pool.query(
                "SELECT \(RunRecord.Step.columns) FROM run_step WHERE tenant_id = \(tenant) AND run_id = \(id) ORDER BY position"
            ).map(RunRecord.Step.init(row:))
            runs.append(try RunRecord(row: row, steps: steps))
        }
        return runs
    }
}
