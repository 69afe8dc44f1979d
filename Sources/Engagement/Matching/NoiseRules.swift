/// The noise rules of an environment: each on by default, each switchable.
public struct NoiseRules: Sendable, Codable, Equatable {
    public var internalOnly = true
    public var bulk = true
    public var noReplySenders = true
    public var autoSubmitted = true
    public var cancelledMeetings = true
    public var largeMeetings = true
    /// Meetings with more attendees than this are skipped when `largeMeetings` is on.
    public var maximumAttendees = 50
    public var declinedMeetings = true
    public var longMeetings = true
    /// Meetings longer than this many hours are skipped when `longMeetings` is on (an all-day event is 24).
    public var maximumMeetingHours = 24
    /// Lowercase addresses whose messages and meetings are skipped, retroactively at the next run.
    public var excludedAddresses: Set<String> = []
    /// Lowercase domains (and their subdomains) likewise.
    public var excludedDomains: Set<String> = []

    public init() {}

    enum CodingKeys: String, CodingKey {
        case internalOnly, bulk, noReplySenders, autoSubmitted, cancelledMeetings, largeMeetings, maximumAttendees
        case declinedMeetings, longMeetings, maximumMeetingHours, excludedAddresses, excludedDomains
    }

    /// Decodes stored rules; a rule added since they were stored takes its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func value<Value: Decodable>(_ key: CodingKeys, _ fallback: Value) throws -> Value {
            try container.decodeIfPresent(Value.self, forKey: key) ?? fallback
        }
        internalOnly = try value(.internalOnly, internalOnly)
        bulk = try value(.bulk, bulk)
        noReplySenders = try value(.noReplySenders, noReplySenders)
        autoSubmitted = try value(.autoSubmitted, autoSubmitted)
        cancelledMeetings = try value(.cancelledMeetings, cancelledMeetings)
        largeMeetings = try value(.largeMeetings, largeMeetings)
        maximumAttendees = try value(.maximumAttendees, maximumAttendees)
        declinedMeetings = try value(.declinedMeetings, declinedMeetings)
        longMeetings = try value(.longMeetings, longMeetings)
        maximumMeetingHours = try value(.maximumMeetingHours, maximumMeetingHours)
        excludedAddresses = try value(.excludedAddresses, excludedAddresses)
        excludedDomains = try value(.excludedDomains, excludedDomains)
    }
}
