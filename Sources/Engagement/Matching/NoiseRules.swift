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
    /// Lowercase addresses whose messages and meetings are skipped, retroactively at the next run.
    public var excludedAddresses: Set<String> = []
    /// Lowercase domains (and their subdomains) likewise.
    public var excludedDomains: Set<String> = []

    public init() {}
}
