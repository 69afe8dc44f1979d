import Foundation
import Postgres

/// Per-run, per-mailbox outcomes of Graph collection, for the progress pane: done, or why not.
public struct GraphRunMailboxStore: Sendable {
    public let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    public enum State: String, Sendable, Codable {
        case done
        /// Graph answered 403: an application access policy (or similar) excludes the mailbox.
        case forbidden
        /// No such user or mailbox (404), or the address did not resolve to a directory id.
        case notFound = "not_found"
        /// The mailbox is full: Graph answers 403 `ErrorQuotaExceeded` to its folder delta.
        case quotaExceeded = "quota_exceeded"
    }

    /// One mailbox's outcome in one step of a run.
    public struct Entry: Sendable, Codable, Equatable {
        public var kind: String
        public var address: String
        public var directoryID: String?
        public var state: State
        public var detail: String?
        public var updatedAt: Date
    }

    public func record(
        tenant: UUID, run: UUID, kind: String, address: String, directoryID: String?, state: State, detail: String?, at moment: Date
    ) async throws {
        try await pool.query(
            """
            INSERT INTO graph_run_mailbox (tenant_id, run_id, kind, address, directory_id, state, detail, updated_at)
            VALUES (\(tenant), \(run), \(kind), \(address), \(directoryID), \(state.rawValue), \(detail), \(moment))
            ON CONFLICT (tenant_id, run_id, kind, address) DO UPDATE
            SET directory_id = excluded.directory_id, state = excluded.state, detail = excluded.detail, updated_at = excluded.updated_at
            """)
    }

    /// Records how one folder of one mailbox was read in a run.
    public func recordFolder(tenant: UUID, run: UUID, _ folder: FolderEntry) async throws {
        try await pool.query(
            """
            INSERT INTO graph_run_folder (tenant_id, run_id, address, folder, complete, full_sync, items, pages, resyncs, resync_reason, throttled,
                                          oldest_item, newest_item, updated_at)
            VALUES (\(tenant), \(run), \(folder.address), \(folder.folder), \(folder.complete), \(folder.fullSync), \(folder.items), \(folder.pages),
                    \(folder.resyncs), \(folder.resyncReason), \(folder.throttled), \(folder.oldestItem), \(folder.newestItem), \(folder.updatedAt))
            ON CONFLICT (tenant_id, run_id, address, folder) DO UPDATE
            SET complete = excluded.complete, full_sync = graph_run_folder.full_sync OR excluded.full_sync,
                items = graph_run_folder.items + excluded.items, pages = graph_run_folder.pages + excluded.pages,
                resyncs = graph_run_folder.resyncs + excluded.resyncs, resync_reason = coalesce(excluded.resync_reason, graph_run_folder.resync_reason),
                throttled = graph_run_folder.throttled + excluded.throttled, oldest_item = excluded.oldest_item, newest_item = excluded.newest_item,
                updated_at = excluded.updated_at
            """)
    }

    /// How each folder of each mailbox was read in a run.
    public func folders(tenant: UUID, run: UUID) async throws -> [FolderEntry] {
        try await pool.query(
            "SELECT \(FolderEntry.columns) FROM graph_run_folder WHERE tenant_id = \(tenant) AND run_id = \(run) ORDER BY address, folder"
        ).map(FolderEntry.init(row:))
    }

    public func entries(tenant: UUID, run: UUID) async throws -> [Entry] {
        try await pool.query(
            "SELECT \(Entry.columns) FROM graph_run_mailbox WHERE tenant_id = \(tenant) AND run_id = \(run) ORDER BY kind, address"
        ).map(Entry.init(row:))
    }
}
