import Engagement
import Foundation
import Postgres

extension EnrichedRow {
    /// The select list `init(row:)` reads, of table `account_engagement`: each column under its `EnrichedColumn.sqlColumn`, dates as text.
    static let columns: PostgresQuery = """
        account_id, engagement_score, emails_to_account, emails_from_account, meetings_from_account, meetings_to_account,
        contacts_in_meetings, contacts_in_emails, account_contacts_in_meetings, account_contacts_in_emails,
        to_char(engagement_start_date, 'YYYY-MM-DD') AS engagement_start_date, days_since_last_email, days_since_last_meeting,
        average_meeting_minutes, average_reply_minutes, to_char(period_start, 'YYYY-MM-DD') AS period_start, level
        """

    init(row: PostgresRow) throws {
        func value<Value: PostgresDecodable>(_ column: EnrichedColumn) throws -> Value {
            try row.decode(column: column.sqlColumn)
        }
        self.init(
            accountID: try value(.accountID), engagementScore: try value(.engagementScore), emailsToAccount: try value(.emailsToAccount),
            emailsFromAccount: try value(.emailsFromAccount), meetingsFromAccount: try value(.meetingsFromAccount),
            meetingsToAccount: try value(.meetingsToAccount), contactsInvolvedMeetings: try value(.contactsInvolvedMeetings),
            contactsInvolvedEmails: try value(.contactsInvolvedEmails),
            accountContactsInvolvedMeetings: try value(.accountContactsInvolvedMeetings),
            accountContactsInvolvedEmails: try value(.accountContactsInvolvedEmails), engagementStartDate: try value(.engagementStartDate),
            daysSinceLastEmail: try value(.daysSinceLastEmail), daysSinceLastMeeting: try value(.daysSinceLastMeeting),
            averageDurationOfMeetings: try value(.averageDurationOfMeetings),
            averageDurationOfAccountEmailReplies: try value(.averageDurationOfAccountEmailReplies),
            aggregationStartDate: try value(.aggregationStartDate), aggregationLevel: try value(.aggregationLevel))
    }
}
