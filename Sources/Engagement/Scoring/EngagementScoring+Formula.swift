import Foundation

extension EngagementScoring {
    /// The names of the components, in the order `components(of:weights:)` returns them.
    public enum ComponentName {
        public static let emailsToAccount = "emails_to_account"
        public static let emailsFromAccount = "emails_from_account"
        public static let meetingsToAccount = "meetings_to_account"
        public static let meetingsFromAccount = "meetings_from_account"
        public static let meetingHours = "meeting_hours"
        public static let internalBreadth = "internal_breadth"
        public static let accountBreadth = "account_breadth"
        public static let reciprocity = "reciprocity"
        public static let replyLatency = "reply_latency"
        /// The recency multiplier itself: its input is the factor, its contribution always 0.
        public static let recencyFactor = "recency_factor"

        /// Every name, in output order.
        public static let all = [
            emailsToAccount, emailsFromAccount, meetingsToAccount, meetingsFromAccount, meetingHours,
            internalBreadth, accountBreadth, reciprocity, replyLatency, recencyFactor,
        ]
    }

    /// The formula's terms for one account; their contributions (recency applied) add up to the raw value.
    ///
    /// Each term is `weight × shape(input) × recency`: `log1p` for counts,
    /// hours and breadth, `log1p(min(to, from))` for reciprocity, and
    /// `1 / (1 + hours / 24)` for the average reply time (0 when no reply was
    /// paired). Negative or non-finite inputs and weights count as 0.
    public static func components(of input: ScoreInputs, weights: ScoreWeights) -> [AccountScore.Component] {
        let recency = recencyFactor(daysSinceLastActivity: input.daysSinceLastActivity, halfLifeDays: weights.recencyHalfLifeDays)
        let to = clamp(Double(input.emailsToAccount)) + clamp(Double(input.meetingsToAccount))
        let from = clamp(Double(input.emailsFromAccount)) + clamp(Double(input.meetingsFromAccount))
        let replyMinutes = input.averageReplyMinutes.map(clamp)
        let hours = clamp(input.meetingMinutes) / 60
        func term(_ name: String, _ value: Double, _ weight: Double, _ shaped: Double) -> AccountScore.Component {
            AccountScore.Component(name: name, input: value, contribution: clamp(weight) * shaped * recency)
        }
        func counted(_ name: String, _ count: Int, _ weight: Double) -> AccountScore.Component {
            let value = clamp(Double(count))
            return term(name, value, weight, log1p(value))
        }
        return [
            counted(ComponentName.emailsToAccount, input.emailsToAccount, weights.emailsToAccount),
            counted(ComponentName.emailsFromAccount, input.emailsFromAccount, weights.emailsFromAccount),
            counted(ComponentName.meetingsToAccount, input.meetingsToAccount, weights.meetingsToAccount),
            counted(ComponentName.meetingsFromAccount, input.meetingsFromAccount, weights.meetingsFromAccount),
            term(ComponentName.meetingHours, hours, weights.meetingHours, log1p(hours)),
            counted(ComponentName.internalBreadth, input.internalPeople, weights.internalBreadth),
            counted(ComponentName.accountBreadth, input.accountPeople, weights.accountBreadth),
            term(ComponentName.reciprocity, min(to, from), weights.reciprocity, log1p(min(to, from))),
            term(
                ComponentName.replyLatency, replyMinutes ?? 0, weights.replyLatency,
                replyMinutes.map { 1 / (1 + $0 / 60 / 24) } ?? 0
            ),
            AccountScore.Component(name: ComponentName.recencyFactor, input: recency, contribution: 0),
        ]
    }

    /// `0.5^(days / halfLife)`: 1 for activity today (or unknown), halving every half-life; 1 when the half-life is not positive.
    public static func recencyFactor(daysSinceLastActivity: Double?, halfLifeDays: Double) -> Double {
        guard halfLifeDays > 0, halfLifeDays.isFinite else { return 1 }
        let days = clamp(daysSinceLastActivity ?? 0)
        return pow(0.5, days / halfLifeDays)
    }

    /// The value, or 0 when it is negative, NaN or infinite.
    private static func clamp(_ value: Double) -> Double {
        value.isFinite && value > 0 ? value : 0
    }
}
