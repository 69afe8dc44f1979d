import Engagement

/// PLACEHOLDER until the formula of docs/scoring.md lands: the terms as SQL.
enum ScoreFormulaSQL {
    static func terms(_ weights: ScoreWeights) -> [ScoreSQL.Term] {
        let w = ScoreSQL.literal
        return [
            .init(name: "emails_to_account", input: "emails_to_account", contribution: "\(w(weights.emailsToAccount)) * ln(1 + emails_to_account)"),
            .init(name: "emails_from_account", input: "emails_from_account", contribution: "\(w(weights.emailsFromAccount)) * ln(1 + emails_from_account)"),
        ]
    }

    static func raw(_ terms: [ScoreSQL.Term], weights: ScoreWeights) -> String {
        terms.map { "(\($0.contribution))" }.joined(separator: " + ")
    }
}
