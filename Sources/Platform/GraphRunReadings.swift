import ControlStore
import Foundation

/// What a run read of each selected mailbox through Microsoft Graph: outcomes, folders, and the window they cover.
public struct GraphRunReadings: Sendable, Codable, Equatable {
    public var mailboxes: [GraphRunMailboxStore.Entry]
    public var folders: [GraphRunMailboxStore.FolderEntry]
    public var coverage: [MailboxCoverage]

    /// The mailboxes whose data does not cover the whole window, with the reason.
    public var incomplete: [MailboxCoverage] { coverage.filter { !$0.isComplete } }

    /// The results summary's view of it: how many mailboxes, how many fully covered, and the others.
    public var summary: Summary {
        Summary(mailboxes: coverage.count, fullyCovered: coverage.count - incomplete.count, incomplete: incomplete)
    }

    public struct Summary: Sendable, Codable, Equatable {
        public var mailboxes: Int
        public var fullyCovered: Int
        public var incomplete: [MailboxCoverage]
    }
}

extension Platform {
    /// The Graph readings of a run (empty lists for a run that read nothing through Graph).
    public func graphReadings(tenant: UUID, run: RunRecord) async throws -> GraphRunReadings {
        let store = graphRunMailboxes
        let entries = try await store.entries(tenant: tenant, run: run.id)
        let folders = try await store.folders(tenant: tenant, run: run.id)
        let coverage = MailboxCoverage.of(
            entries: entries, folders: folders, windowStart: run.asOf.addingTimeInterval(-365 * 86_400), asOf: run.asOf)
        return GraphRunReadings(mailboxes: entries, folders: folders, coverage: coverage)
    }
}
