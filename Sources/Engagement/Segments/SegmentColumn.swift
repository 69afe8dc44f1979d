/// A column a segment may test: an enriched column (Year level) or an account field.
public enum SegmentColumn: String, Sendable, CaseIterable, Equatable {
    case engagementScore = "EngagementScore"
    case emailsToAccount = "NoOfEmails_ToAccount"
    case emailsFromAccount = "NoOfEmails_FromAccount"
    case meetingsFromAccount = "NoOfMeetings_FromAccount"
    case meetingsToAccount = "NoOfMeetings_ToAccount"
    case contactsInvolvedMeetings = "NoOfContactsInvolved_Meetings"
    case contactsInvolvedEmails = "NoOfContactsInvolved_Emails"
    case accountContactsInvolvedMeetings = "NoOfAccountContactsInvolved_Meetings"
    case accountContactsInvolvedEmails = "NoOfAccountContactsInvolved_Emails"
    case engagementStartDate = "EngagementStartDate"
    case daysSinceLastEmail = "DaysSinceLastEmail"
    case daysSinceLastMeeting = "DaysSinceLastMeeting"
    case averageDurationOfMeetings = "AverageDuration_Of_Meetings"
    case averageDurationOfAccountEmailReplies = "AverageDuration_Of_AccountEmailReplies"
    /// The account's name.
    case name = "Name"
    /// One of the account's web domains.
    case domain = "Domain"
    case accountID = "AccountId"

    public enum Kind: Sendable {
        case number, date, text
    }

    public var kind: Kind {
        switch self {
        case .engagementStartDate: .date
        case .name, .domain, .accountID: .text
        default: .number
        }
    }

    /// Looks a name up without regard to case.
    public static func named(_ name: String) -> SegmentColumn? {
        allCases.first { $0.rawValue.lowercased() == name.lowercased() }
    }
}
