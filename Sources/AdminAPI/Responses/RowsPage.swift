import Foundation
import Platform

/// One page of the enriched rows, with the run it comes from.
struct RowsPage: Encodable {
    var runID: UUID
    var total: Int
    var limit: Int
    var offset: Int
    var rows: [EnrichedRow]

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", total, limit, offset, rows
    }
}
