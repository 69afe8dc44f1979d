import Foundation

/// A saved condition over the enriched data, and how large it was at each run.
public struct Segment: Sendable, Codable, Equatable {
    public var id: UUID
    public var name: String
    public var expression: String
    /// One of the segments every environment starts with.
    public var readyMade: Bool
    public var createdAt: Date
    /// The latest evaluation's size, nil before the first.
    public var size: Int?
}

/// One evaluation of a segment.
public struct SegmentEvaluation: Sendable, Codable, Equatable {
    public var runID: UUID
    public var size: Int
    public var evaluatedAt: Date
}

/// An account in a segment, with the figures a list shows.
public struct SegmentMember: Sendable, Codable, Equatable {
    public var accountID: String
    public var name: String
    public var engagementScore: Int
    public var daysSinceLastEmail: Int?
    public var daysSinceLastMeeting: Int?
}

/// An aggregate of one column over all accounts or one segment.
public struct Measure: Sendable, Codable, Equatable {
    public enum Function: String, Sendable, Codable, CaseIterable {
        case count = "COUNT", sum = "SUM", avg = "AVG", min = "MIN", max = "MAX"
    }

    public var id: UUID
    public var name: String
    public var function: Function
    public var column: String
    public var segmentID: UUID?
    public var createdAt: Date
}

/// A measure's value at the Year level and its series per month.
public struct MeasureValue: Sendable, Codable, Equatable {
    public var measure: Measure
    public var year: Double?
    public var months: [MonthPoint]

    public struct MonthPoint: Sendable, Codable, Equatable {
        /// `YYYY-MM-DD`, the month's first day.
        public var month: String
        public var value: Double?
    }
}
