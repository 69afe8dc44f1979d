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
