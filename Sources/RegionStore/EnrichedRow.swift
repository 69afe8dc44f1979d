import Engagement
import Foundation

/// One account's enriched columns for one period, named exactly as the product names them.
public struct EnrichedRow: Sendable, Codable, Equatable {
    public var accountID: String
    public var engagementScore: Int
    public var emailsToAccount: Int
    public var emailsFromAccount: Int
    public var meetingsFromAccount: Int
    public var meetingsToAccount: Int
    public var contactsInvolvedMeetings: Int
    public var contactsInvolvedEmails: Int
    public var accountContactsInvolvedMeetings: Int
    public var accountContactsInvolvedEmails: Int
    /// `YYYY-MM-DD`.
    public var engagementStartDate: String?
    public var daysSinceLastEmail: Int?
    public var daysSinceLastMeeting: Int?
    /// Minutes.
    public var averageDurationOfMeetings: Double?
    /// Minutes.
    public var averageDurationOfAccountEmailReplies: Double?
    /// `YYYY-MM-DD`.
    public var aggregationStartDate: String
    /// `Year`, `Month` or `Week`.
    public var aggregationLevel: String

    /// The product's column names, in the product's order (after the account id), with their stored columns.
    public typealias CodingKeys = EnrichedColumn

    /// Every column is written, nulls included, so each row carries all 16 columns and its account id.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(accountID, forKey: .accountID)
        try container.encode(engagementScore, forKey: .engagementScore)
        try container.encode(emailsToAccount, forKey: .emailsToAccount)
        try container.encode(emailsFromAccount, forKey: .emailsFromAccount)
        try container.encode(meetingsFromAccount, forKey: .meetingsFromAccount)
        try container.encode(meetingsToAccount, forKey: .meetingsToAccount)
        try container.encode(contactsInvolvedMeetings, forKey: .contactsInvolvedMeetings)
        try container.encode(contactsInvolvedEmails, forKey: .contactsInvolvedEmails)
        try container.encode(accountContactsInvolvedMeetings, forKey: .accountContactsInvolvedMeetings)
        try container.encode(accountContactsInvolvedEmails, forKey: .accountContactsInvolvedEmails)
        try container.encode(engagementStartDate, forKey: .engagementStartDate)
        try container.encode(daysSinceLastEmail, forKey: .daysSinceLastEmail)
        try container.encode(daysSinceLastMeeting, forKey: .daysSinceLastMeeting)
        try container.encode(averageDurationOfMeetings, forKey: .averageDurationOfMeetings)
        try container.encode(averageDurationOfAccountEmailReplies, forKey: .averageDurationOfAccountEmailReplies)
        try container.encode(aggregationStartDate, forKey: .aggregationStartDate)
        try container.encode(aggregationLevel, forKey: .aggregationLevel)
    }

    /// The values as CSV fields, in `CodingKeys` order; nulls are empty.
    public var csvFields: [String] {
        func number(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "" }
        return [
            accountID, "\(engagementScore)", "\(emailsToAccount)", "\(emailsFromAccount)", "\(meetingsFromAccount)",
            "\(meetingsToAccount)", "\(contactsInvolvedMeetings)", "\(contactsInvolvedEmails)",
            "\(accountContactsInvolvedMeetings)", "\(accountContactsInvolvedEmails)", engagementStartDate ?? "",
            daysSinceLastEmail.map(String.init) ?? "", daysSinceLastMeeting.map(String.init) ?? "",
            number(averageDurationOfMeetings), number(averageDurationOfAccountEmailReplies), aggregationStartDate,
            aggregationLevel,
        ]
    }
}
