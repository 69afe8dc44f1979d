/// The steps of a run, in order, as the progress pane shows them.
public enum RunStep: String, Sendable, Codable, CaseIterable {
    case resolveMailboxes = "resolve_mailboxes"
    case collectEmail = "collect_email"
    case collectMeetings = "collect_meetings"
    case match
    case aggregate
    case score
    case publish

    public var position: Int { Self.allCases.firstIndex(of: self)! }
}
