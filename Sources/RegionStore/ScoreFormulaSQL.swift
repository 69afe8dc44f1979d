import Engagement

/// The terms of `EngagementScoring.components` (formula version 1) as SQL over `measures`.
///
/// Term for term the same arithmetic as the Swift reference: `weight ×
/// shape(input) × recency`, with `ln(1 + x)` for `log1p`. A test holds the
/// two equal on generated inputs; change both together, and the version.
enum ScoreFormulaSQL {
    static func terms(_ weights: ScoreWeights) -> [ScoreSQL.Term] {
        let w = { ScoreSQL.literal(max(0, $0)) }
        let recency = recencySQL(weights)
        let name = EngagementScoring.ComponentName.self
        func counted(_ component: String, _ column: String, _ weight: Double) -> ScoreSQL.Term {
            ScoreSQL.Term(
                name: component, input: "greatest(\(column), 0)",
                contribution: "\(w(weight)) * ln(1 + greatest(\(column), 0)) * \(recency)")
        }
        let to = "(greatest(emails_to_account, 0) + greatest(meetings_to_account, 0))"
        let from = "(greatest(emails_from_account, 0) + greatest(meetings_from_account, 0))"
        let hours = "(greatest(meeting_minutes, 0) / 60.0)"
        let reply = "greatest(average_reply_minutes, 0)"
        return [
            counted(name.emailsToAccount, "emails_to_account", weights.emailsToAccount),
            counted(name.emailsFromAccount, "emails_from_account", weights.emailsFromAccount),
            counted(name.meetingsToAccount, "meetings_to_account", weights.meetingsToAccount),
            counted(name.meetingsFromAccount, "meetings_from_account", weights.meetingsFromAccount),
            ScoreSQL.Term(
                name: name.meetingHours, input: hours,
                contribution: "\(w(weights.meetingHours)) * ln(1 + \(hours)) * \(recency)"),
            counted(name.internalBreadth, "internal_breadth", weights.internalBreadth),
            counted(name.accountBreadth, "account_breadth", weights.accountBreadth),
            ScoreSQL.Term(
                name: name.reciprocity, input: "least(\(to), \(from))",
                contribution: "\(w(weights.reciprocity)) * ln(1 + least(\(to), \(from))) * \(recency)"),
            ScoreSQL.Term(
                name: name.replyLatency, input: "coalesce(\(reply), 0)",
                // No paired reply adds nothing (greatest() would turn NULL into 0 minutes, a perfect reply).
                contribution: "CASE WHEN average_reply_minutes IS NULL THEN 0 ELSE \(w(weights.replyLatency)) * (1.0 / (1.0 + \(reply) / 60.0 / 24.0)) * \(recency) END"),
            ScoreSQL.Term(name: name.recencyFactor, input: recency, contribution: "0"),
        ]
    }

    /// `0.5^(days / halfLife)`, 1 when the half-life is not positive.
    static func recencySQL(_ weights: ScoreWeights) -> String {
        let halfLife = weights.recencyHalfLifeDays
        guard halfLife > 0, halfLife.isFinite else { return "1.0" }
        return "power(0.5, greatest(coalesce(days_since_last_activity, 0), 0) / \(ScoreSQL.literal(halfLife)))"
    }

    static func raw(_ terms: [ScoreSQL.Term], weights: ScoreWeights) -> String {
        terms.map { "(\($0.contribution))" }.joined(separator: " + ")
    }
}
