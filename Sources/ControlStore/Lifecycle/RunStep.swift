/// The steps of a run, in order, as the progress pane shows them.
public enum RunStep: String, Sendable, Codable, CaseIterable {
    case resolveMailboxes = "resolve_mailboxes"
    case collectEmail = "collect_email"
    case collectMeetings = "collect_meetings"
    case match
    case aggregate
    case score
    case publish
    /// Writes the published rows to the attached Dataverse organization (skipped without one).
    case export
    /// Queues the signed summary for the environment's webhook (skipped without one).
    case notify

    public var position: Int { Self.allCases.firstIndex(of: self)! }
}
