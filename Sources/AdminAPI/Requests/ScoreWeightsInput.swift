import Engagement

/// Score weights as a request may send them: any subset, the rest keeps its default.
struct ScoreWeightsInput: Decodable {
    /// The keys a request may send (snake_case); any other is refused.
    static let keys: Set<String> = [
        "emails_to_account", "emails_from_account", "meetings_to_account", "meetings_from_account", "meeting_hours",
        "internal_breadth", "account_breadth", "reciprocity", "reply_latency", "recency_half_life_days",
    ]

    var emailsToAccount: Double?
    var emailsFromAccount: Double?
    var meetingsToAccount: Double?
    var meetingsFromAccount: Double?
    var meetingHours: Double?
    var internalBreadth: Double?
    var accountBreadth: Double?
    var reciprocity: Double?
    var replyLatency: Double?
    var recencyHalfLifeDays: Double?

    var weights: ScoreWeights {
        var weights = ScoreWeights.defaults
        if let emailsToAccount { weights.emailsToAccount = emailsToAccount }
        if let emailsFromAccount { weights.emailsFromAccount = emailsFromAccount }
        if let meetingsToAccount { weights.meetingsToAccount = meetingsToAccount }
        if let meetingsFromAccount { weights.meetingsFromAccount = meetingsFromAccount }
        if let meetingHours { weights.meetingHours = meetingHours }
        if let internalBreadth { weights.internalBreadth = internalBreadth }
        if let accountBreadth { weights.accountBreadth = accountBreadth }
        if let reciprocity { weights.reciprocity = reciprocity }
        if let replyLatency { weights.replyLatency = replyLatency }
        if let recencyHalfLifeDays { weights.recencyHalfLifeDays = recencyHalfLifeDays }
        return weights
    }
}
