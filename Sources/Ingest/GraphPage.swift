import Engagement

/// One page of a Microsoft Graph collection of messages or events, parsed.
public struct GraphPage: Sendable, Equatable {
    public var records: [ActivityRecord]
    /// `@odata.nextLink`: fetch it for the next page of this round.
    public var nextLink: String?
    /// `@odata.deltaLink`: keep it for the next run's delta query.
    public var deltaLink: String?
    /// Ids of the items marked `@removed` (deleted, or moved out of the window).
    public var removedIDs: [String]

    public init(records: [ActivityRecord] = [], nextLink: String? = nil, deltaLink: String? = nil, removedIDs: [String] = []) {
        self.records = records
        self.nextLink = nextLink
        self.deltaLink = deltaLink
        self.removedIDs = removedIDs
    }
}
