import Foundation
import Postgres

extension Segment {
    /// The select list `init(row:)` reads, of table `segment` aliased `s`, with its latest evaluation's size.
    static let columns: PostgresQuery = """
        s.segment_id, s.name, s.expression, s.ready_made, s.created_at,
        (SELECT size FROM segment_evaluation v WHERE v.segment_id = s.segment_id AND v.environment_id = s.environment_id
         ORDER BY evaluated_at DESC LIMIT 1) AS size
        """

    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode(column: "segment_id"), name: try row.decode(column: "name"), expression: try row.decode(column: "expression"),
            readyMade: try row.decode(column: "ready_made"), createdAt: try row.decode(column: "created_at"), size: try row.decode(column: "size"))
    }
}

extension SegmentEvaluation {
    /// The select list `init(row:)` reads, of table `segment_evaluation`.
    static let columns: PostgresQuery = "run_id, size, evaluated_at"

    init(row: PostgresRow) throws {
        self.init(runID: try row.decode(column: "run_id"), size: try row.decode(column: "size"), evaluatedAt: try row.decode(column: "evaluated_at"))
    }
}

extension SegmentMember {
    /// The select list `init(row:)` reads, of `SegmentCompiler.base` (accounts `b`, their Year rows `e`).
    static let columns: PostgresQuery = """
        b.account_id, b.name, coalesce(e.engagement_score, 0) AS engagement_score, e.days_since_last_email, e.days_since_last_meeting
        """

    init(row: PostgresRow) throws {
        self.init(
            accountID: try row.decode(column: "account_id"), name: try row.decode(column: "name"),
            engagementScore: try row.decode(column: "engagement_score"), daysSinceLastEmail: try row.decode(column: "days_since_last_email"),
            daysSinceLastMeeting: try row.decode(column: "days_since_last_meeting"))
    }
}

extension Measure {
    /// The select list `init(row:)` reads, of table `measure`.
    static let columns: PostgresQuery = "measure_id, name, function, column_name, segment_id, created_at"

    /// An unknown stored function reads as `COUNT`.
    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode(column: "measure_id"), name: try row.decode(column: "name"),
            function: Function(rawValue: try row.decode(column: "function")) ?? .count, column: try row.decode(column: "column_name"),
            segmentID: try row.decode(column: "segment_id"), createdAt: try row.decode(column: "created_at"))
    }
}

extension MeasureValue.MonthPoint {
    /// Reads the columns `month` (text) and `value`.
    init(row: PostgresRow) throws {
        self.init(month: try row.decode(column: "month"), value: try row.decode(column: "value"))
    }
}
