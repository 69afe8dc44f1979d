import Foundation
import Postgres

extension GraphRunMailboxStore.FolderEntry {
    /// The select list `init(row:)` reads, of table `graph_run_folder`.
    static let columns: PostgresQuery =
        "address, folder, complete, full_sync, items, pages, resyncs, resync_reason, throttled, oldest_item, newest_item, updated_at"

    init(row: PostgresRow) throws {
        self.init(
            address: try row.decode(column: "address"), folder: try row.decode(column: "folder"), complete: try row.decode(column: "complete"),
            fullSync: try row.decode(column: "full_sync"), items: try row.decode(column: "items"), pages: try row.decode(column: "pages"),
            resyncs: try row.decode(column: "resyncs"), resyncReason: try row.decode(column: "resync_reason"),
            throttled: try row.decode(column: "throttled"), oldestItem: try row.decode(column: "oldest_item"),
            newestItem: try row.decode(column: "newest_item"), updatedAt: try row.decode(column: "updated_at"))
    }
}
