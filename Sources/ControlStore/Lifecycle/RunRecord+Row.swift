import Engagement
import Foundation
import Postgres

extension RunRecord {
    /// The select list `init(row:steps:)` reads, of table `run`.
    static let columns: PostgresQuery = """
        run_id, tenant_id, environment_id, region, status, trigger, scheduled_for, as_of, attempts, lease_owner, lease_expires_at,
        created_at, started_at, finished_at, error
        """

    /// A run row with its steps (stored apart, in `run_step`); unknown stored values read as a failed manual run in `eu`.
    init(row: PostgresRow, steps: [Step]) throws {
        self.init(
            id: try row.decode(column: "run_id"), tenantID: try row.decode(column: "tenant_id"),
            environmentID: try row.decode(column: "environment_id"), region: Region(rawValue: try row.decode(column: "region")) ?? .eu,
            status: Status(rawValue: try row.decode(column: "status")) ?? .failed,
            trigger: Trigger(rawValue: try row.decode(column: "trigger")) ?? .manual,
            scheduledFor: try row.decode(column: "scheduled_for"), asOf: try row.decode(column: "as_of"),
            attempts: try row.decode(column: "attempts"), leaseOwner: try row.decode(column: "lease_owner"),
            leaseExpiresAt: try row.decode(column: "lease_expires_at"), createdAt: try row.decode(column: "created_at"),
            startedAt: try row.decode(column: "started_at"), finishedAt: try row.decode(column: "finished_at"),
            error: try row.decode(column: "error"), steps: steps)
    }
}

extension RunRecord.Step {
    /// The select list `init(row:)` reads, of table `run_step`.
    static let columns: PostgresQuery = "step, state, counts, started_at, finished_at, error"

    /// Unknown stored values read as a pending `match`.
    init(row: PostgresRow) throws {
        self.init(
            step: RunStep(rawValue: try row.decode(column: "step")) ?? .match, state: State(rawValue: try row.decode(column: "state")) ?? .pending,
            counts: try row.decode(PostgresJSON<[String: Int]>.self, column: "counts").value, startedAt: try row.decode(column: "started_at"),
            finishedAt: try row.decode(column: "finished_at"), error: try row.decode(column: "error"))
    }
}
