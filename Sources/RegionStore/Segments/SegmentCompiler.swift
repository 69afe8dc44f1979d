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

    /// The stored column of an enriched column (nil for the account fields).
    static func storedColumn(_ column: SegmentColumn) -> PostgresQuery? {
        guard case .enriched(let enriched) = column else { return nil }
        return PostgresQuery(unsafeSQL: enriched.sqlColumn)
    }

    /// The SQL of a column in `segment_base`: an account without a Year row counts 0 of each count.
    static func sql(_ column: SegmentColumn) -> PostgresQuery {
        switch column {
        case .name: return "b.name"
        case .domain: return "array_to_string(b.web_domains, ' ')"
        case .accountID: return "b.account_id"
        case .enriched(let enriched) where enriched.isOptional:
            return "e.\(storedColumn(column)!)"
        case .enriched:
            return "coalesce(e.\(storedColumn(column)!), 0)"
        }
    }

    /// The column in a Month row (`m`), for measures per month (nil for the start date and the account fields).
    static func monthSQL(_ column: SegmentColumn) -> PostgresQuery? {
        guard column != .engagementStartDate, let stored = storedColumn(column) else { return nil }
        return "m.\(stored)"
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
