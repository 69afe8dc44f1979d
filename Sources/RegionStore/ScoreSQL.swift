import Engagement
import Foundation
import Postgres

/// The EngagementScore formula of `EngagementScoring`, written as SQL over the `measures` table.
///
/// The 0–100 value is the rank rule of docs/scoring.md: `ceil(100 × k / n)`
/// in integers, where `n` counts the period's accounts with activity and `k`
/// those whose raw value (rounded to `tieDecimals`) is at or below this one's.
///
/// The same formula runs in Swift (`EngagementScoring.score`, the reference)
/// and here, near the data, for every level and period at once; a test holds
/// the two to equal values. Each term is a named component; Year rows store the
/// components as the score's breakdown.
enum ScoreSQL {
    /// One term: its name, the SQL of its input, and the SQL of what it adds to the raw score.
    struct Term {
        var name: String
        var input: String
        var contribution: String
    }

    /// Number literal for SQL text; weights are numbers the service itself holds, never user text.
    static func literal(_ value: Double) -> String {
        value.isFinite ? String(format: "%.17g", value) : "0"
    }

    static func terms(_ weights: ScoreWeights) -> [Term] {
        ScoreFormulaSQL.terms(weights)
    }

    /// `INSERT … SELECT` of the run's rows from `measures`, with raw value, rank score and breakdown.
    static func insertScoredRows(_ slice: EnvironmentDatabase, run: EnrichmentAggregator.RunSpec) -> PostgresQuery {
        let terms = terms(run.weights)
        let raw = ScoreFormulaSQL.raw(terms, weights: run.weights)
        let components = terms.map { "'\($0.name)', jsonb_build_object('input', (\($0.input))::float8, 'contribution', (\($0.contribution))::float8)" }
            .joined(separator: ", ")
        let rawSQL = PostgresQuery(unsafeSQL: raw)
        let componentsSQL = PostgresQuery(unsafeSQL: components)
        return """
            INSERT INTO account_engagement (
                tenant_id, environment_id, run_id, level, period_start, account_id, engagement_score, raw_score,
                emails_to_account, emails_from_account, meetings_from_account, meetings_to_account,
                contacts_in_meetings, contacts_in_emails, account_contacts_in_meetings, account_contacts_in_emails,
                engagement_start_date, days_since_last_email, days_since_last_meeting, average_meeting_minutes,
                average_reply_minutes, components)
            SELECT \(slice.tenant), \(slice.environment), \(run.runID), level, period_start, account_id,
                   ((100 * (count(*) OVER period - rank() OVER (period ORDER BY tie DESC) + 1) + count(*) OVER period - 1)
                    / count(*) OVER period)::int,
                   raw, emails_to_account, emails_from_account, meetings_from_account, meetings_to_account,
                   contacts_in_meetings, contacts_in_emails, account_contacts_in_meetings, account_contacts_in_emails,
                   engagement_start_date, days_since_last_email, days_since_last_meeting, average_meeting_minutes,
                   average_reply_minutes,
                   -- The breadth of the breakdown is kept for the Year rows only (the customer card's).
                   CASE WHEN level = 'Year' THEN jsonb_build_object(\(componentsSQL)) END
            FROM (
                SELECT raw_scored.*, round(raw::numeric, \(Int32(EngagementScoring.tieDecimals))) AS tie
                FROM (SELECT m.*, (\(rawSQL))::float8 AS raw FROM measures m) raw_scored
            ) scored
            WINDOW period AS (PARTITION BY level, period_start)
            -- In primary-key order: the key index then grows at its right edge instead of splitting pages everywhere.
            ORDER BY level, period_start, account_id
            """
    }
}
