/// A column a segment may test: an enriched figure (Year level) or an account field.
public enum SegmentColumn: Sendable, Hashable, CaseIterable {
    /// One of `EnrichedColumn.figures`, of the account's Year row.
    case enriched(EnrichedColumn)
    /// The account's name.
    case name
    /// One of the account's web domains.
    case domain
    case accountID

    public static let engagementScore = Self.enriched(.engagementScore)
    public static let emailsToAccount = Self.enriched(.emailsToAccount)
    public static let emailsFromAccount = Self.enriched(.emailsFromAccount)
    public static let meetingsFromAccount = Self.enriched(.meetingsFromAccount)
    public static let meetingsToAccount = Self.enriched(.meetingsToAccount)
    public static let contactsInvolvedMeetings = Self.enriched(.contactsInvolvedMeetings)
    public static let contactsInvolvedEmails = Self.enriched(.contactsInvolvedEmails)
    public static let accountContactsInvolvedMeetings = Self.enriched(.accountContactsInvolvedMeetings)
    public static let accountContactsInvolvedEmails = Self.enriched(.accountContactsInvolvedEmails)
    public static let engagementStartDate = Self.enriched(.engagementStartDate)
    public static let daysSinceLastEmail = Self.enriched(.daysSinceLastEmail)
    public static let daysSinceLastMeeting = Self.enriched(.daysSinceLastMeeting)
    public static let averageDurationOfMeetings = Self.enriched(.averageDurationOfMeetings)
    public static let averageDurationOfAccountEmailReplies = Self.enriched(.averageDurationOfAccountEmailReplies)

    /// The enriched figures, then the account fields.
    public static let allCases: [SegmentColumn] = EnrichedColumn.figures.map(Self.enriched) + [.name, .domain, .accountID]

    /// The name a segment expression uses.
    public var rawValue: String {
        switch self {
        case .enriched(let column): column.rawValue
        case .name: "Name"
        case .domain: "Domain"
        case .accountID: "AccountId"
        }
    }

    public enum Kind: Sendable {
        case number, date, text
    }

    public var kind: Kind {
        switch self {
        case .enriched(.engagementStartDate): .date
        case .enriched: .number
        case .name, .domain, .accountID: .text
        }
    }

    /// Looks a name up without regard to case.
    public static func named(_ name: String) -> SegmentColumn? {
        allCases.first { $0.rawValue.lowercased() == name.lowercased() }
    }
}
