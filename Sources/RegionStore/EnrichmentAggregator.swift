import Engagement
import Foundation
import Postgres

/// Computes the 16 enriched columns per account, per Year, Month and Week, in the region database.
///
/// Everything is set-based SQL near the data: one pass per measure with
/// `GROUPING SETS` over (account), (account, month) and (account, ISO week),
/// distinct people counted from a per-day de-duplicated set, replies paired by
/// keyed message ids (the Graph conversation as a fallback). The score is
/// computed by `ScoreSQL` from the same formula as `EngagementScoring`, and the
/// rows are written under the run's id; `publish` then makes the run current.
public struct EnrichmentAggregator: Sendable {
    /// The environment's slice of its region database.
    public let slice: EnvironmentDatabase
    var database: RegionDatabase { slice.database }
    var tenant: UUID { slice.tenant }
    var environment: UUID { slice.environment }

    public init(_ slice: EnvironmentDatabase) {
        self.slice = slice
    }

    /// A run of the aggregation: its id, as-of time and the one-year window before it.
    public struct RunSpec: Sendable {
        public var runID: UUID
        public var asOf: Date
        public var weights: ScoreWeights

        public init(runID: UUID = UUID(), asOf: Date, weights: ScoreWeights) {
            self.runID = runID
            self.asOf = asOf
            self.weights = weights
        }

        /// The rolling window's start: one year (365 days) before the as-of time.
        public var windowStart: Date { asOf.addingTimeInterval(-365 * 86_400) }
    }

    /// Deletes signals older than the window, aggregates, scores and writes the run's rows.
    ///
    /// Nothing is visible to readers until `publish`; a failure leaves no rows of the run.
    @discardableResult
    public func aggregate(
        _ run: RunSpec, noiseFigures: [String: Int] = [:], scoring: @Sendable (_ measuredRows: Int) async throws -> Void = { _ in }
    ) async throws -> RunSummary {
        try await database.withTenant(tenant) { connection in
            // Sorts and hashes of a million-row aggregation belong in memory, not in temporary files.
            try await connection.execute("SET LOCAL work_mem = '256MB'")
            // A run resumed after a lost worker starts its rows afresh.
            try await connection.execute(
                "DELETE FROM account_engagement WHERE environment_id = \(environment) AND run_id = \(run.runID)")
            try await connection.execute(
                "DELETE FROM enrichment_run WHERE environment_id = \(environment) AND run_id = \(run.runID) AND status = 'building'")
            // The measures statement's estimates (the correlated reply subqueries) are high enough for
            // PostgreSQL to JIT-compile it with LLVM: ~2 s on every run, 80% of a small environment's run.
            try await connection.execute("SET LOCAL jit = off")
            try await connection.execute(
                """
                INSERT INTO enrichment_run (tenant_id, environment_id, run_id, status, as_of, window_start, score_version, weights)
                VALUES (\(tenant), \(environment), \(run.runID), 'building', \(run.asOf), \(run.windowStart),
                        \(EngagementScoring.version), \(PostgresJSON(run.weights)))
                """)
            try await connection.execute(
                "DELETE FROM email_signal WHERE environment_id = \(environment) AND sent_at < \(run.windowStart)")
            try await connection.execute(
                "DELETE FROM meeting_signal WHERE environment_id = \(environment) AND starts_at < \(run.windowStart)")
            try await buildMeasures(connection, run)
            let measured = try await connection.query("SELECT count(*) FROM measures")[0].decode(Int.self, at: 0)
            try await scoring(measured)
            try await connection.execute(ScoreSQL.insertScoredRows(slice, run: run))
            let summary = try await summarize(connection, run, noiseFigures: noiseFigures)
            try await connection.execute(
                "UPDATE enrichment_run SET summary = \(PostgresJSON(summary)) WHERE environment_id = \(environment) AND run_id = \(run.runID)")
            return summary
        }
    }

    /// Makes the run the environment's current result in one transaction, then drops older runs' rows.
    public func publish(runID: UUID, at moment: Date) async throws {
        try await database.withTenant(tenant) { connection in
            let status: String? = try await connection.query(
                "SELECT status FROM enrichment_run WHERE environment_id = \(environment) AND run_id = \(runID) FOR UPDATE"
            ).first(decoding: String.self)
            // Publishing twice (a worker lost after publishing) changes nothing.
            if status == "published" { return }
            guard status == "building" else { throw ServiceError(.unprocessable, "run \(runID) is not ready to publish") }
            try await connection.execute(
                "UPDATE enrichment_run SET status = 'published', published_at = \(moment) WHERE environment_id = \(environment) AND run_id = \(runID)")
            try await connection.execute(
                """
                UPDATE enrichment_run SET status = 'superseded'
                WHERE environment_id = \(environment) AND status = 'published' AND run_id <> \(runID)
                """)
            try await connection.execute(
                """
                INSERT INTO current_result (tenant_id, environment_id, run_id, published_at)
                VALUES (\(tenant), \(environment), \(runID), \(moment))
                ON CONFLICT (tenant_id, environment_id) DO UPDATE SET run_id = excluded.run_id, published_at = excluded.published_at
                """)
        }
        // Readers that started before the switch keep their snapshot; new ones see only the new run.
        try await database.withTenant(tenant) { connection in
            try await connection.execute(
                """
                DELETE FROM account_engagement WHERE environment_id = \(environment) AND run_id IN
                    (SELECT run_id FROM enrichment_run WHERE environment_id = \(environment) AND status IN ('superseded', 'failed'))
                """)
        }
    }

    /// Marks a run failed and removes its rows; the current result stays as it was.
    public func discard(runID: UUID) async throws {
        try await database.withTenant(tenant) { connection in
            try await connection.execute(
                "DELETE FROM account_engagement WHERE environment_id = \(environment) AND run_id = \(runID)")
            try await connection.execute(
                "UPDATE enrichment_run SET status = 'failed' WHERE environment_id = \(environment) AND run_id = \(runID) AND status = 'building'")
        }
    }

    // MARK: - Measures

    /// Fills the temporary table `measures` with one row per (account, level, period).
    ///
    /// Signals are first reduced to one row of facts per account and day (counts,
    /// sums, last times) and one row per account, day and person; the Year, Month
    /// and Week figures then come from one `GROUPING SETS` pass over each, and the
    /// two are joined once.
    private func buildMeasures(_ connection: PostgresConnection, _ run: RunSpec) async throws {
        let asOf = run.asOf
        let windowStart = run.windowStart
        let levels = Self.levels(of: "day", windowStart: windowStart)
        try await connection.execute(
            """
            CREATE TEMPORARY TABLE window_email ON COMMIT DROP AS
            SELECT message_key, account_id, sent_at, sent_at::date AS day, to_account, internal_people, account_people, replies_to, conversation
            FROM email_signal
            WHERE environment_id = \(environment) AND sent_at >= \(windowStart) AND sent_at <= \(asOf)
            """)
        try await connection.execute(
            """
            CREATE TEMPORARY TABLE window_meeting ON COMMIT DROP AS
            SELECT occurrence_key, account_id, starts_at, starts_at::date AS day, ends_at, to_account, internal_people, account_people
            FROM meeting_signal
            WHERE environment_id = \(environment) AND starts_at >= \(windowStart) AND starts_at <= \(asOf)
            """)
        // Issue 8 (found by the Graph benchmark): reply pairing looks emails up by key and by conversation;
        // without these indexes both lookups scan the window once per reply (quadratic: minutes at 100k emails).
        try await connection.execute("CREATE INDEX ON window_email (message_key, account_id)")
        try await connection.execute("CREATE INDEX ON window_email (conversation, account_id, sent_at)")
        try await connection.execute("ANALYZE window_email")
        try await connection.execute("ANALYZE window_meeting")
        // Each account reply paired with our email it answers (see docs/results.md).
        try await connection.execute(
            """
            CREATE TEMPORARY TABLE paired_reply ON COMMIT DROP AS
            SELECT DISTINCT ON (r.message_key, r.account_id) r.account_id, r.sent_at,
                   date_part('epoch', r.sent_at - o.sent_at) / 60.0 AS minutes
            FROM window_email r
            CROSS JOIN LATERAL unnest(r.replies_to) WITH ORDINALITY AS parent(key, position)
            JOIN window_email o ON o.message_key = parent.key AND o.account_id = r.account_id AND o.to_account
            WHERE NOT r.to_account AND o.sent_at < r.sent_at
            ORDER BY r.message_key, r.account_id, parent.position
            """)
        // Fallback: no listed parent matched; the latest earlier email of ours in the same conversation.
        try await connection.execute(
            """
            INSERT INTO paired_reply (account_id, sent_at, minutes)
            SELECT r.account_id, r.sent_at, date_part('epoch', r.sent_at - o.sent_at) / 60.0
            FROM window_email r
            CROSS JOIN LATERAL (
                SELECT o.sent_at FROM window_email o
                WHERE o.conversation = r.conversation AND o.account_id = r.account_id AND o.to_account AND o.sent_at < r.sent_at
                ORDER BY o.sent_at DESC LIMIT 1
            ) o
            WHERE NOT r.to_account AND r.conversation IS NOT NULL
              AND NOT EXISTS (
                  SELECT 1 FROM unnest(r.replies_to) AS parent(key)
                  JOIN window_email p ON p.message_key = parent.key AND p.account_id = r.account_id AND p.to_account AND p.sent_at < r.sent_at)
            """)
        // One row of facts per account and day.
        try await connection.execute(
            """
            CREATE TEMPORARY TABLE daily ON COMMIT DROP AS
            SELECT account_id, day,
                   -- Counts as int: sum(int) is bigint arithmetic, sum(bigint) would be numeric (slow).
                   sum(emails_to)::int AS emails_to, sum(emails_from)::int AS emails_from, max(last_email) AS last_email,
                   sum(meetings_to)::int AS meetings_to, sum(meetings_from)::int AS meetings_from, sum(meeting_minutes) AS meeting_minutes,
                   sum(meeting_count)::int AS meeting_count, max(last_meeting) AS last_meeting,
                   sum(reply_minutes) AS reply_minutes, sum(reply_count)::int AS reply_count
            FROM (
                SELECT account_id, day, (count(*) FILTER (WHERE to_account))::int AS emails_to,
                       (count(*) FILTER (WHERE NOT to_account))::int AS emails_from, max(sent_at) AS last_email,
                       0 AS meetings_to, 0 AS meetings_from, 0::float8 AS meeting_minutes, 0 AS meeting_count,
                       NULL::timestamptz AS last_meeting, 0::float8 AS reply_minutes, 0 AS reply_count
                FROM window_email GROUP BY 1, 2
                UNION ALL
                SELECT account_id, day, 0, 0, NULL, (count(*) FILTER (WHERE to_account))::int, (count(*) FILTER (WHERE NOT to_account))::int,
                       sum(date_part('epoch', ends_at - starts_at) / 60.0), count(*)::int, max(starts_at), 0, 0
                FROM window_meeting GROUP BY 1, 2
                UNION ALL
                SELECT account_id, sent_at::date, 0, 0, NULL, 0, 0, 0, 0, NULL, sum(minutes), count(*)::int
                FROM paired_reply GROUP BY 1, 2
            ) parts
            GROUP BY account_id, day
            """)
        // One row per account, day and person: distinct people per period come from it.
        try await connection.execute(
            """
            CREATE TEMPORARY TABLE people_daily ON COMMIT DROP AS
            SELECT DISTINCT account_id, day, true AS email, true AS internal, person
            FROM window_email, unnest(internal_people) AS person
            UNION ALL
            SELECT DISTINCT account_id, day, true, false, person FROM window_email, unnest(account_people) AS person
            UNION ALL
            SELECT DISTINCT account_id, day, false, true, person FROM window_meeting, unnest(internal_people) AS person
            UNION ALL
            SELECT DISTINCT account_id, day, false, false, person FROM window_meeting, unnest(account_people) AS person
            """)
        try await connection.execute("ANALYZE daily")
        try await connection.execute("ANALYZE people_daily")
        try await connection.execute(
            """
            CREATE TEMPORARY TABLE period_facts ON COMMIT DROP AS
            SELECT account_id, \(levels.level) AS level, \(levels.periodStart) AS period_start,
                   sum(emails_to)::int AS emails_to, sum(emails_from)::int AS emails_from, max(last_email) AS last_email,
                   sum(meetings_to)::int AS meetings_to, sum(meetings_from)::int AS meetings_from,
                   sum(meeting_minutes) AS meeting_minutes, sum(meeting_count) AS meeting_count, max(last_meeting) AS last_meeting,
                   sum(reply_minutes) AS reply_minutes, sum(reply_count) AS reply_count
            FROM daily
            GROUP BY GROUPING SETS ((account_id), (account_id, \(levels.month)), (account_id, \(levels.week)))
            """)
        try await connection.execute(
            """
            CREATE TEMPORARY TABLE period_people ON COMMIT DROP AS
            SELECT account_id, \(levels.level) AS level, \(levels.periodStart) AS period_start,
                   count(DISTINCT person) FILTER (WHERE email AND internal) AS email_internal,
                   count(DISTINCT person) FILTER (WHERE email AND NOT internal) AS email_account,
                   count(DISTINCT person) FILTER (WHERE NOT email AND internal) AS meeting_internal,
                   count(DISTINCT person) FILTER (WHERE NOT email AND NOT internal) AS meeting_account,
                   count(DISTINCT person) FILTER (WHERE internal) AS all_internal,
                   count(DISTINCT person) FILTER (WHERE NOT internal) AS all_account
            FROM people_daily
            GROUP BY GROUPING SETS ((account_id), (account_id, \(levels.month)), (account_id, \(levels.week)))
            """)
        let measuresQuery: PostgresQuery = """
            CREATE TEMPORARY TABLE measures ON COMMIT DROP AS
            WITH first_activity AS (
                SELECT account_id, min(day) AS engagement_start_date FROM daily GROUP BY account_id
            )
            SELECT f.account_id, f.level, f.period_start,
                   f.emails_to AS emails_to_account, f.emails_from AS emails_from_account,
                   f.meetings_from AS meetings_from_account, f.meetings_to AS meetings_to_account,
                   coalesce(p.meeting_internal, 0)::int AS contacts_in_meetings,
                   coalesce(p.email_internal, 0)::int AS contacts_in_emails,
                   coalesce(p.meeting_account, 0)::int AS account_contacts_in_meetings,
                   coalesce(p.email_account, 0)::int AS account_contacts_in_emails,
                   coalesce(p.all_internal, 0)::int AS internal_breadth,
                   coalesce(p.all_account, 0)::int AS account_breadth,
                   fa.engagement_start_date,
                   floor(date_part('epoch', \(asOf)::timestamptz - f.last_email) / 86400)::int AS days_since_last_email,
                   floor(date_part('epoch', \(asOf)::timestamptz - f.last_meeting) / 86400)::int AS days_since_last_meeting,
                   (f.meeting_minutes / nullif(f.meeting_count, 0))::float8 AS average_meeting_minutes,
                   coalesce(f.meeting_minutes, 0)::float8 AS meeting_minutes,
                   (f.reply_minutes / nullif(f.reply_count, 0))::float8 AS average_reply_minutes,
                   -- Recency for the score: from the period's end (the as-of time for Year and the current period).
                   (date_part('epoch', least(\(asOf)::timestamptz,
                        CASE f.level WHEN 'Month' THEN (f.period_start + interval '1 month')::timestamptz
                                     WHEN 'Week' THEN (f.period_start + interval '7 days')::timestamptz
                                     ELSE \(asOf)::timestamptz END)
                        - greatest(f.last_email, f.last_meeting)) / 86400.0)::float8 AS days_since_last_activity
            FROM period_facts f
            LEFT JOIN period_people p USING (account_id, level, period_start)
            LEFT JOIN first_activity fa USING (account_id)
            """
        try await connection.execute(measuresQuery)
    }

    /// The `level` and `period_start` of a row of `GROUPING SETS ((account_id), (account_id, month), (account_id, week))`
    /// over the date column `day`, and the month and week expressions to group by: Year rows start at the window's first day.
    ///
    /// The day is truncated as a `timestamp`: `date_trunc` of a `date` would cast it to `timestamptz` and
    /// convert through the session's time zone on every row (most of a grouping's time).
    static func levels(of day: String, windowStart: Date) -> (level: PostgresQuery, periodStart: PostgresQuery, month: PostgresQuery, week: PostgresQuery) {
        let month = PostgresQuery(unsafeSQL: "date_trunc('month', \(day)::timestamp)")
        let week = PostgresQuery(unsafeSQL: "date_trunc('week', \(day)::timestamp)")
        return (
            "CASE GROUPING(\(month), \(week)) WHEN 3 THEN 'Year' WHEN 1 THEN 'Month' ELSE 'Week' END",
            "coalesce(\(month)::date, \(week)::date, \(windowStart)::timestamptz::date)",
            month, week
        )
    }

    private func summarize(_ connection: PostgresConnection, _ run: RunSpec, noiseFigures: [String: Int]) async throws -> RunSummary {
        let row = try await connection.query(
            """
            SELECT (SELECT count(*) FROM measures WHERE level = 'Year'),
                   (SELECT count(DISTINCT message_key) FROM window_email),
                   (SELECT count(DISTINCT occurrence_key) FROM window_meeting),
                   (SELECT min(t) FROM (SELECT min(sent_at) AS t FROM window_email UNION ALL SELECT min(starts_at) FROM window_meeting) f),
                   (SELECT max(greatest(last_email, last_meeting)) FROM daily)
            """)[0]
        let (customers, emails, meetings, first, last) = try row.decode((Int, Int, Int, Date?, Date?).self)
        var days = 0
        if let first, let last { days = Int((last.timeIntervalSince(first) / 86_400).rounded(.down)) + 1 }
        var rowsPerLevel: [String: Int] = [:]
        for row in try await connection.query("SELECT level, count(*) FROM measures GROUP BY level") {
            let (level, count) = try row.decode((String, Int).self)
            rowsPerLevel[level] = count
        }
        return RunSummary(
            runID: run.runID, asOf: run.asOf, windowStart: run.windowStart, enrichedCustomers: customers,
            emailsProcessed: emails, meetingsProcessed: meetings, daysOfData: days, firstActivity: first, lastActivity: last,
            noiseFigures: noiseFigures, scoreVersion: EngagementScoring.version, rowsPerLevel: rowsPerLevel)
    }
}
