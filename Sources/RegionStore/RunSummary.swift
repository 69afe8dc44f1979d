import Foundation

/// What one run produced: the figures of the results page and of the "enriched customers over time" chart.
public struct RunSummary: Sendable, Codable, Equatable {
    public var runID: UUID
    public var asOf: Date
    public var windowStart: Date
    /// Accounts with any email or meeting in the window.
    public var enrichedCustomers: Int
    /// Distinct messages attributed to at least one account.
    public var emailsProcessed: Int
    /// Distinct meeting occurrences attributed to at least one account.
    public var meetingsProcessed: Int
    /// Days covered by the data, first activity to last, both included.
    public var daysOfData: Int
    public var firstActivity: Date?
    public var lastActivity: Date?
    /// Records skipped per noise rule while collecting for this run.
    public var noiseFigures: [String: Int]
    public var scoreVersion: Int
    /// Rows written per level (`Year`, `Month`, `Week`): the totals the results API pages over.
    public var rowsPerLevel: [String: Int]?
    /// When the run became current; nil while building.
    public var publishedAt: Date?

    public init(
        runID: UUID, asOf: Date, windowStart: Date, enrichedCustomers: Int, emailsProcessed: Int, meetingsProcessed: Int,
        daysOfData: Int, firstActivity: Date?, lastActivity: Date?, noiseFigures: [String: Int], scoreVersion: Int,
        rowsPerLevel: [String: Int]? = nil, publishedAt: Date? = nil
    ) {
        self.runID = runID
        self.asOf = asOf
        self.windowStart = windowStart
        self.enrichedCustomers = enrichedCustomers
        self.emailsProcessed = emailsProcessed
        self.meetingsProcessed = meetingsProcessed
        self.daysOfData = daysOfData
        self.firstActivity = firstActivity
        self.lastActivity = lastActivity
        self.noiseFigures = noiseFigures
        self.scoreVersion = scoreVersion
        self.rowsPerLevel = rowsPerLevel
        self.publishedAt = publishedAt
    }
}
