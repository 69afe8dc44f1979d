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
    public let database: RegionDatabase

    public init(database: RegionDatabase) {
        self.database = database
    }

    /// A run of the aggregation: its id, as-of time and the one-year window before it.
    public struct RunSpec: Sendable {
        public var tenant: UUID
        public var environment: UUID
        public var runID: UUID
        public var asOf: Date
        public var weights: ScoreWeights

        public init(tenant: UUID, environment: UUID, runID: UUID = UUID(), asOf: Date, weights: ScoreWeights) {
            self.tenant = tenant
            self.environment = environment
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
        try await database.withTenant(run.tenant) { connection in
            // A run resumed after a lost worker starts its rows afresh.
            try await connection.execute(
                "DELETE FROM account_engagement WHERE environment_id = \(run.environment) AND run_id = \(run.runID)")
            try await connection.execute(
                "DELETE FROM enrichment_run WHERE environment_id = \(run.environment) AND run_id = \(run.runID) AND status = 'building'")
            try await connection.execute(
                """
                INSERT INTO enrichment_run (tenant_id, environment_id, run_id, status, as_of, window_start, score_version, weights)
                VALUES (\(run.tenant), \(run.environment), \(run.runID), 'building', \(run.asOf), \(run.windowStart),
                        \(EngagementScoring.version), \(PostgresJSON(run.weights)))
                """)
            try await connection.execute(
                "DELETE FROM email_signal WHERE environment_id = \(run.environment) AND sent_at < \(run.windowStart)")
            try await connection.execute(
                "DELETE FROM meeting_signal WHERE environment_id = \(run.environment) AND starts_at < \(run.windowStart)")
            try await buildMeasures(connection, run)
            let measured = try await connection.query("SELECT count(*) FROM measures")[0].decode(Int.self, at: 0)
            try await scoring(measured)
            try await connection.execute(ScoreSQL.insertScoredRows(run: run))
            let summary = try await summarize(connection, run, noiseFigures: noiseFigures)
            try await connection.execute(
                "UPDATE enrichment_run SET summary = \(PostgresJSON(summary)) WHERE environment_id = \(run.environment) AND run_id = \(run.runID)")
            return summary
        }
    }

    /// Makes the run the environment's current result in one transaction, then drops older runs' rows.
    public func publish(tenant: UUID, environment: UUID, runID: UUID, at moment: Date) async throws {
        try await database.withTenant(tenant) { connection in
            let status: String? = try await connection.query(
                "SELECT status FROM enrichment_run WHERE environment_id = \(environment) AND run_id = \(runID) FOR UPDATE"
            ).first(decoding: String.self)
            // Publishing twice (a worker lost after publishing) changes nothing.
            if status == "published" { return }
            guard status == "building" else { throw StoreError(.unprocessable, "run \(runID) is not ready to publish") }
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
    public func discard(tenant: UUID, environment: UUID, runID: UUID) async throws {
        try await database.withTenant(tenant) { connection in
            try await connection.execute(
                "DELETE FROM account_engagement WHERE environment_id = \(environment) AND run_id = \(runID)")
            try await connection.execute(
                "UPDATE enrichment_run SET status = 'failed' WHERE environment_id = \(environment) AND run_id = \(runID) AND status = 'building'")
        }
    }

    // MARK: - Measures

    /// Fills the temporary table `measures` with one row per (account, level, period).
    private func buildMeasures(_ connection: PostgresConnection, _ run: RunSpec) async throws {
        let environment = run.environment
        let asOf = run.asOf
        let windowStart = run.windowStart
        // Signals of the window, each tagged with its month and ISO week (the session is UTC).
        try await connection.execute(
            """
            CREATE TEMPORARY TABLE window_email ON COMMIT DROP AS
            SELECT message_key, account_id, sent_at, to_account, internal_people, account_people, replies_to, conversation
            FROM email_signal
            WHERE environment_id = \(environment) AND sent_at >= \(windowStart) AND sent_at <= \(asOf)
            """)
        try await connection.execute(
            """
            CREATE TEMPORARY TABLE window_meeting ON COMMIT DROP AS
            SELECT occurrence_key, account_id, starts_at, ends_at, to_account, internal_people, account_people
            FROM meeting_signal
            WHERE environment_id = \(environment) AND starts_at >= \(windowStart) AND starts_at <= \(asOf)
            """)
        // Issue 8 (found by the Graph benchmark): reply pairing looks emails up by key and by conversation;
        // without these indexes both lookups scan the window once per reply (quadratic: minutes at 100k emails).
        try await connection.execute("CREATE INDEX ON window_email (message_key, account_id)")
        try await connection.execute("CREATE INDEX ON window_email (conversation, account_id, sent_at)")
        try await connection.execute("ANALYZE window_email")
        try await connection.execute("ANALYZE window_meeting")
        // One grouping-sets pass per source; `level` and `period_start` come out of GROUPING().
        try await connection.execute(
            """
            CREATE TEMPORARY TABLE measures ON COMMIT DROP AS
            WITH email_counts AS (
                SELECT account_id,
                       CASE GROUPING(date_trunc('month', sent_at), date_trunc('week', sent_at))
                            WHEN 3 THEN 'Year' WHEN 1 THEN 'Month' ELSE 'Week' END AS level,
                       coalesce(date_trunc('month', sent_at)::date, date_trunc('week', sent_at)::date, \(windowStart)::timestamptz::date) AS period_start,
                       count(*) FILTER (WHERE to_account) AS emails_to,
                       count(*) FILTER (WHERE NOT to_account) AS emails_from,
                       max(sent_at) AS last_email
                FROM window_email
                GROUP BY GROUPING SETS ((account_id), (account_id, date_trunc('month', sent_at)), (account_id, date_trunc('week', sent_at)))
            ),
            meeting_counts AS (
                SELECT account_id,
                       CASE GROUPING(date_trunc('month', starts_at), date_trunc('week', starts_at))
                            WHEN 3 THEN 'Year' WHEN 1 THEN 'Month' ELSE 'Week' END AS level,
                       coalesce(date_trunc('month', starts_at)::date, date_trunc('week', starts_at)::date, \(windowStart)::timestamptz::date) AS period_start,
                       count(*) FILTER (WHERE to_account) AS meetings_to,
                       count(*) FILTER (WHERE NOT to_account) AS meetings_from,
                       avg(extract(epoch FROM ends_at - starts_at) / 60.0) AS average_meeting_minutes,
                       sum(extract(epoch FROM ends_at - starts_at) / 60.0) AS meeting_minutes,
                       max(starts_at) AS last_meeting
                FROM window_meeting
                GROUP BY GROUPING SETS ((account_id), (account_id, date_trunc('month', starts_at)), (account_id, date_trunc('week', starts_at)))
            ),
            email_people_daily AS (
                SELECT DISTINCT account_id, sent_at::date AS day, true AS internal, person
                FROM window_email, unnest(internal_people) AS person
                UNION
                SELECT DISTINCT account_id, sent_at::date, false, person
                FROM window_email, unnest(account_people) AS person
            ),
            meeting_people_daily AS (
                SELECT DISTINCT account_id, starts_at::date AS day, true AS internal, person
                FROM window_meeting, unnest(internal_people) AS person
                UNION
                SELECT DISTINCT account_id, starts_at::date, false, person
                FROM window_meeting, unnest(account_people) AS person
            ),
            email_people AS (
                SELECT account_id,
                       CASE GROUPING(date_trunc('month', day), date_trunc('week', day)) WHEN 3 THEN 'Year' WHEN 1 THEN 'Month' ELSE 'Week' END AS level,
                       coalesce(date_trunc('month', day)::date, date_trunc('week', day)::date, \(windowStart)::timestamptz::date) AS period_start,
                       count(DISTINCT person) FILTER (WHERE internal) AS internal_people,
                       count(DISTINCT person) FILTER (WHERE NOT internal) AS account_people
                FROM email_people_daily
                GROUP BY GROUPING SETS ((account_id), (account_id, date_trunc('month', day)), (account_id, date_trunc('week', day)))
            ),
            meeting_people AS (
                SELECT account_id,
                       CASE GROUPING(date_trunc('month', day), date_trunc('week', day)) WHEN 3 THEN 'Year' WHEN 1 THEN 'Month' ELSE 'Week' END AS level,
                       coalesce(date_trunc('month', day)::date, date_trunc('week', day)::date, \(windowStart)::timestamptz::date) AS period_start,
                       count(DISTINCT person) FILTER (WHERE internal) AS internal_people,
                       count(DISTINCT person) FILTER (WHERE NOT internal) AS account_people
                FROM meeting_people_daily
                GROUP BY GROUPING SETS ((account_id), (account_id, date_trunc('month', day)), (account_id, date_trunc('week', day)))
            ),
            all_people AS (
                SELECT account_id,
                       CASE GROUPING(date_trunc('month', day), date_trunc('week', day)) WHEN 3 THEN 'Year' WHEN 1 THEN 'Month' ELSE 'Week' END AS level,
                       coalesce(date_trunc('month', day)::date, date_trunc('week', day)::date, \(windowStart)::timestamptz::date) AS period_start,
                       count(DISTINCT person) FILTER (WHERE internal) AS internal_people,
                       count(DISTINCT person) FILTER (WHERE NOT internal) AS account_people
                FROM (SELECT * FROM email_people_daily UNION SELECT * FROM meeting_people_daily) people
                GROUP BY GROUPING SETS ((account_id), (account_id, date_trunc('month', day)), (account_id, date_trunc('week', day)))
            ),
            reply_candidates AS (
                -- The account's reply (r) to our email (o): by In-Reply-To/References, the earliest listed first.
                SELECT DISTINCT ON (r.message_key, r.account_id) r.account_id, r.sent_at,
                       extract(epoch FROM r.sent_at - o.sent_at) / 60.0 AS minutes
                FROM window_email r
                CROSS JOIN LATERAL unnest(r.replies_to) WITH ORDINALITY AS parent(key, position)
                JOIN window_email o ON o.message_key = parent.key AND o.account_id = r.account_id AND o.to_account
                WHERE NOT r.to_account AND o.sent_at < r.sent_at
                ORDER BY r.message_key, r.account_id, parent.position
            ),
            conversation_replies AS (
                -- Fallback: no listed parent matched; the latest earlier email of ours in the same conversation.
                SELECT r.account_id, r.sent_at, extract(epoch FROM r.sent_at - o.sent_at) / 60.0 AS minutes
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
            ),
            replies AS (
                SELECT account_id,
                       CASE GROUPING(date_trunc('month', sent_at), date_trunc('week', sent_at)) WHEN 3 THEN 'Year' WHEN 1 THEN 'Month' ELSE 'Week' END AS level,
                       coalesce(date_trunc('month', sent_at)::date, date_trunc('week', sent_at)::date, \(windowStart)::timestamptz::date) AS period_start,
                       avg(minutes) AS average_reply_minutes
                FROM (SELECT * FROM reply_candidates UNION ALL SELECT * FROM conversation_replies) paired
                GROUP BY GROUPING SETS ((account_id), (account_id, date_trunc('month', sent_at)), (account_id, date_trunc('week', sent_at)))
            ),
            keys AS (
                SELECT account_id, level, period_start FROM email_counts
                UNION
                SELECT account_id, level, period_start FROM meeting_counts
            ),
            first_activity AS (
                SELECT account_id, min(first_at)::date AS engagement_start_date FROM (
                    SELECT account_id, min(sent_at) AS first_at FROM window_email GROUP BY account_id
                    UNION ALL
                    SELECT account_id, min(starts_at) FROM window_meeting GROUP BY account_id
                ) firsts GROUP BY account_id
            )
            SELECT k.account_id, k.level,
                   k.period_start,
                   coalesce(ec.emails_to, 0)::int AS emails_to_account,
                   coalesce(ec.emails_from, 0)::int AS emails_from_account,
                   coalesce(mc.meetings_from, 0)::int AS meetings_from_account,
                   coalesce(mc.meetings_to, 0)::int AS meetings_to_account,
                   coalesce(mp.internal_people, 0)::int AS contacts_in_meetings,
                   coalesce(ep.internal_people, 0)::int AS contacts_in_emails,
                   coalesce(mp.account_people, 0)::int AS account_contacts_in_meetings,
                   coalesce(ep.account_people, 0)::int AS account_contacts_in_emails,
                   coalesce(ap.internal_people, 0)::int AS internal_breadth,
                   coalesce(ap.account_people, 0)::int AS account_breadth,
                   fa.engagement_start_date,
                   floor(extract(epoch FROM \(asOf)::timestamptz - ec.last_email) / 86400)::int AS days_since_last_email,
                   floor(extract(epoch FROM \(asOf)::timestamptz - mc.last_meeting) / 86400)::int AS days_since_last_meeting,
                   mc.average_meeting_minutes::float8 AS average_meeting_minutes,
                   coalesce(mc.meeting_minutes, 0)::float8 AS meeting_minutes,
                   r.average_reply_minutes::float8 AS average_reply_minutes,
                   -- Recency for the score: from the period's end (the as-of time for Year and the current period).
                   (extract(epoch FROM least(\(asOf)::timestamptz,
                        CASE k.level WHEN 'Month' THEN (k.period_start + interval '1 month')::timestamptz
                                     WHEN 'Week' THEN (k.period_start + interval '7 days')::timestamptz
                                     ELSE \(asOf)::timestamptz END)
                        - greatest(ec.last_email, mc.last_meeting)) / 86400.0)::float8 AS days_since_last_activity
            FROM keys k
            LEFT JOIN email_counts ec USING (account_id, level, period_start)
            LEFT JOIN meeting_counts mc USING (account_id, level, period_start)
            LEFT JOIN email_people ep USING (account_id, level, period_start)
            LEFT JOIN meeting_people mp USING (account_id, level, period_start)
            LEFT JOIN all_people ap USING (account_id, level, period_start)
            LEFT JOIN replies r USING (account_id, level, period_start)
            LEFT JOIN first_activity fa USING (account_id)
            """)
    }

    private func summarize(_ connection: PostgresConnection, _ run: RunSpec, noiseFigures: [String: Int]) async throws -> RunSummary {
        let row = try await connection.query(
            """
            SELECT (SELECT count(*) FROM measures WHERE level = 'Year'),
                   (SELECT count(DISTINCT message_key) FROM window_email),
                   (SELECT count(DISTINCT occurrence_key) FROM window_meeting),
                   (SELECT min(t) FROM (SELECT min(sent_at) AS t FROM window_email UNION ALL SELECT min(starts_at) FROM window_meeting) f),
                   (SELECT max(t) FROM (SELECT max(sent_at) AS t FROM window_email UNION ALL SELECT max(starts_at) FROM window_meeting) l)
            """)[0]
        let (customers, emails, meetings, first, last) = try row.decode((Int, Int, Int, Date?, Date?).self)
        var days = 0
        if let first, let last { days = Int((last.timeIntervalSince(first) / 86_400).rounded(.down)) + 1 }
        return RunSummary(
            runID: run.runID, asOf: run.asOf, windowStart: run.windowStart, enrichedCustomers: customers,
            emailsProcessed: emails, meetingsProcessed: meetings, daysOfData: days, firstActivity: first, lastActivity: last,
            noiseFigures: noiseFigures, scoreVersion: EngagementScoring.version)
    }
}
