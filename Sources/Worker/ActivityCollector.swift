import Engagement
import Foundation
import Platform

/// A source a run collects activity from (Microsoft Graph, later others).
///
/// A collector stores what it fetched through the environment's importer and
/// keeps its own resume points (delta links), so a run interrupted midway
/// continues where it stopped.
public protocol ActivityCollector: Sendable {
    /// Whether this collector serves the environment (e.g. it has a Graph app registration).
    func serves(_ environment: ControlStore.Environment) async throws -> Bool

    /// Collects one kind of activity for the run's mailboxes; returns the figures for the progress pane.
    func collect(_ kind: CollectionKind, context: CollectionContext) async throws -> [String: Int]
}

public enum CollectionKind: String, Sendable {
    case email
    case meetings
}

/// What a collector needs to know about the run.
public struct CollectionContext: Sendable {
    public var run: RunRecord
    public var environment: ControlStore.Environment
    public var mailboxes: [SelectedMailbox]
    public var scope: ActivityImporter.Scope
    public var importer: ActivityImporter
    /// Called as mailboxes finish, for "mailboxes done / total".
    public var progress: @Sendable (_ counts: [String: Int]) async -> Void

    public init(
        run: RunRecord, environment: ControlStore.Environment, mailboxes: [SelectedMailbox], scope: ActivityImporter.Scope,
        importer: ActivityImporter, progress: @escaping @Sendable ([String: Int]) async -> Void
    ) {
        self.run = run
        self.environment = environment
        self.mailboxes = mailboxes
        self.scope = scope
        self.importer = importer
        self.progress = progress
    }
}
