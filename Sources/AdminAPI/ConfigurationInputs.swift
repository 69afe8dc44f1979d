import Engagement

/// Noise rules as a request may send them: any subset, the rest keeps its default.
struct NoiseRulesInput: Decodable {
    /// The keys a request may send (snake_case); any other is refused.
    static let keys: Set<String> = [
        "internal_only", "bulk", "no_reply_senders", "auto_submitted", "cancelled_meetings", "large_meetings", "maximum_attendees",
        "declined_meetings", "long_meetings", "maximum_meeting_hours", "excluded_addresses", "excluded_domains",
    ]

    var internalOnly: Bool?
    var bulk: Bool?
    var noReplySenders: Bool?
    var autoSubmitted: Bool?
    var cancelledMeetings: Bool?
    var largeMeetings: Bool?
    var maximumAttendees: Int?
    var declinedMeetings: Bool?
    var longMeetings: Bool?
    var maximumMeetingHours: Int?
    var excludedAddresses: [String]?
    var excludedDomains: [String]?

    var rules: NoiseRules {
        var rules = NoiseRules()
        if let internalOnly { rules.internalOnly = internalOnly }
        if let bulk { rules.bulk = bulk }
        if let noReplySenders { rules.noReplySenders = noReplySenders }
        if let autoSubmitted { rules.autoSubmitted = autoSubmitted }
        if let cancelledMeetings { rules.cancelledMeetings = cancelledMeetings }
        if let largeMeetings { rules.largeMeetings = largeMeetings }
        if let maximumAttendees { rules.maximumAttendees = maximumAttendees }
        if let declinedMeetings { rules.declinedMeetings = declinedMeetings }
        if let longMeetings { rules.longMeetings = longMeetings }
        if let maximumMeetingHours { rules.maximumMeetingHours = maximumMeetingHours }
        if let excludedAddresses { rules.excludedAddresses = Set(excludedAddresses) }
        if let excludedDomains { rules.excludedDomains = Set(excludedDomains) }
        return rules
    }
}

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
