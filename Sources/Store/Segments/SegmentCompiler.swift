import Engagement
import Foundation
import Postgres

/// Compiles a segment expression into a parameterized SQL condition over the Year-level result.
///
/// Only whitelisted columns can appear, each mapped to a fixed SQL expression;
/// every literal becomes a bind. The condition applies to `segment_base`, the
/// environment's business accounts (`b`) left-joined to their Year row of the
/// current run (`e`), so accounts without activity take part (counts 0, days
/// since null).
enum SegmentCompiler {
    static func condition(_ expression: SegmentExpression, today: Date) -> PostgresQuery {
        switch expression {
        case .and(let left, let right):
            return "(\(condition(left, today: today)) AND \(condition(right, today: today)))"
        case .or(let left, let right):
            return "(\(condition(left, today: today)) OR \(condition(right, today: today)))"
        case .not(let inner):
            return "(NOT \(condition(inner, today: today)))"
        case .isNull(let column, let negated):
            return "(\(sql(column)) IS \(negated ? "NOT " : "" as PostgresQuery)NULL)"
        case .comparison(let column, let comparison, let value):
            let op = PostgresQuery(unsafeSQL: comparison.rawValue)
            if column == .domain, case .text(let domain) = value {
                let membership: PostgresQuery = "(\(domain.lowercased()) = ANY(b.web_domains))"
                return comparison == .equal ? membership : "(NOT \(membership))"
            }
            switch value {
            case .number(let number):
                return "(\(sql(column)) \(op) \(number))"
            case .text(let text):
                return "(\(sql(column)) \(op) \(text))"
            case .date(let year, let month, let day):
                let date = Calendar.utc.date(from: DateComponents(year: year, month: month, day: day)) ?? today
                return "(\(sql(column)) \(op) \(date)::date)"
            case .relativeDate(let days, let months):
                let start = Calendar.utc.startOfDay(for: today)
                let shifted = Calendar.utc.date(byAdding: DateComponents(month: months, day: days), to: start) ?? start
                return "(\(sql(column)) \(op) \(shifted)::date)"
            }
        }
    }

    /// The SQL of a column in `segment_base`.
    static func sql(_ column: SegmentColumn) -> PostgresQuery {
        switch column {
        case .engagementScore: "coalesce(e.engagement_score, 0)"
        case .emailsToAccount: "coalesce(e.emails_to_account, 0)"
        case .emailsFromAccount: "coalesce(e.emails_from_account, 0)"
        case .meetingsFromAccount: "coalesce(e.meetings_from_account, 0)"
        case .meetingsToAccount: "coalesce(e.meetings_to_account, 0)"
        case .contactsInvolvedMeetings: "coalesce(e.contacts_in_meetings, 0)"
        case .contactsInvolvedEmails: "coalesce(e.contacts_in_emails, 0)"
        case .accountContactsInvolvedMeetings: "coalesce(e.account_contacts_in_meetings, 0)"
        case .accountContactsInvolvedEmails: "coalesce(e.account_contacts_in_emails, 0)"
        case .engagementStartDate: "e.engagement_start_date"
        case .daysSinceLastEmail: "e.days_since_last_email"
        case .daysSinceLastMeeting: "e.days_since_last_meeting"
        case .averageDurationOfMeetings: "e.average_meeting_minutes"
        case .averageDurationOfAccountEmailReplies: "e.average_reply_minutes"
        case .name: "b.name"
        case .domain: "array_to_string(b.web_domains, ' ')"
        case .accountID: "b.account_id"
        }
    }

    /// The column in a Month row (`m`), for measures per month.
    static func monthSQL(_ column: SegmentColumn) -> PostgresQuery? {
        switch column {
        case .engagementScore: "m.engagement_score"
        case .emailsToAccount: "m.emails_to_account"
        case .emailsFromAccount: "m.emails_from_account"
        case .meetingsFromAccount: "m.meetings_from_account"
        case .meetingsToAccount: "m.meetings_to_account"
        case .contactsInvolvedMeetings: "m.contacts_in_meetings"
        case .contactsInvolvedEmails: "m.contacts_in_emails"
        case .accountContactsInvolvedMeetings: "m.account_contacts_in_meetings"
        case .accountContactsInvolvedEmails: "m.account_contacts_in_emails"
        case .daysSinceLastEmail: "m.days_since_last_email"
        case .daysSinceLastMeeting: "m.days_since_last_meeting"
        case .averageDurationOfMeetings: "m.average_meeting_minutes"
        case .averageDurationOfAccountEmailReplies: "m.average_reply_minutes"
        case .engagementStartDate, .name, .domain, .accountID: nil
        }
    }

    /// `FROM … WHERE` of the environment's accounts joined to the run's Year rows.
    static func base(environment: UUID, run: UUID?) -> PostgresQuery {
        """
        FROM business_account b
        LEFT JOIN account_engagement e ON e.tenant_id = b.tenant_id AND e.environment_id = b.environment_id
            AND e.account_id = b.account_id AND e.level = 'Year' AND e.run_id = \(run)
        WHERE b.environment_id = \(environment)
        """
    }
}
