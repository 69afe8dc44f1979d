import Foundation
import Postgres

extension GraphSyncStore.ResumePoint {
    /// The select list `init(row:)` reads, of table `graph_sync_state` (its mailbox and folder are the keys, read apart).
    static let columns: PostgresQuery = "link, complete, run_id, range_start, range_end, oldest_item, newest_item"

    init(row: PostgresRow) throws {
        self.init(
            link: try row.decode(column: "link"), complete: try row.decode(column: "complete"), runID: try row.decode(column: "run_id"),
            rangeStart: try row.decode(column: "range_start"), rangeEnd: try row.decode(column: "range_end"),
            oldestItem: try row.decode(column: "oldest_item"), newestItem: try row.decode(column: "newest_item"))
    }
}
