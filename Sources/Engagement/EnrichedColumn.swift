/// The columns of an enriched row, named exactly as the product names them (raw values), in the product's order.
///
/// The one list of them: `EnrichedRow` encodes by it, segments test its figures, and each
/// names the column that stores it in a region's `account_engagement`.
public enum EnrichedColumn: String, CodingKey, CaseIterable, Sendable {
    case accountID = "AccountId"
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
    case aggregationStartDate = "AggregationStartDate"
    case aggregationLevel = "AggregationLevel"

    /// The engagement figures: every column but the account id and the period, in order.
    public static let figures: [EnrichedColumn] = allCases.filter { ![.accountID, .aggregationStartDate, .aggregationLevel].contains($0) }

    /// The stored column behind the name, for sorting and filtering.
    public var sqlColumn: String {
        switch self {
        case .accountID: "account_id"
        case .engagementScore: "engagement_score"
        case .emailsToAccount: "emails_to_account"
        case .emailsFromAccount: "emails_from_account"
        case .meetingsFromAccount: "meetings_from_account"
        case .meetingsToAccount: "meetings_to_account"
        case .contactsInvolvedMeetings: "contacts_in_meetings"
        case .contactsInvolvedEmails: "contacts_in_emails"
        case .accountContactsInvolvedMeetings: "account_contacts_in_meetings"
        case .accountContactsInvolvedEmails: "account_contacts_in_emails"
        case .engagementStartDate: "engagement_start_date"
        case .daysSinceLastEmail: "days_since_last_email"
        case .daysSinceLastMeeting: "days_since_last_meeting"
        case .averageDurationOfMeetings: "average_meeting_minutes"
        case .averageDurationOfAccountEmailReplies: "average_reply_minutes"
        case .aggregationStartDate: "period_start"
        case .aggregationLevel: "level"
        }
    }

    /// Null for an account without that activity (the counts and the score are 0 instead).
    public var isOptional: Bool {
        switch self {
        case .engagementStartDate, .daysSinceLastEmail, .daysSinceLastMeeting, .averageDurationOfMeetings, .averageDurationOfAccountEmailReplies:
            true
        default:
            false
        }
    }
}
