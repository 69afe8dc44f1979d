/// The output groups `rapport-dev generate --formats` chooses from.
public enum OutputFormat: String, Sendable, CaseIterable, Hashable {
    /// accounts.csv, contacts.csv, directory.json, mail/*.mbox, calendar/*.ics.
    case files
    /// activity.ndjson.
    case ndjson
    /// graph/: users, groups, and each mailbox's messages and events.
    case graph
}
