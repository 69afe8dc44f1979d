/// The published results: figures, enriched customers over time, the data preview paged and sortable.
struct ResultsPage: PageView {
    static let template = "results"

    struct Column: Sendable {
        var name: String
        /// The order a click on the heading asks for.
        var nextOrder: String
        /// ` ↓` or ` ↑` on the column sorted by.
        var arrow: String
    }

    struct Row: Sendable {
        var account: String
        var name: String
        /// The account id as a path component.
        var accountQuery: String
        /// The row's values after the account id, in column order.
        var cells: [String]
    }

    struct Published: Sendable {
        var enrichedCustomers: Int
        var emails: Int
        var meetings: Int
        var days: Int
        /// The SVG of enriched customers per run.
        var chart: String
        var level: String
        var total: Int
        var from: Int
        var to: Int
        var columns: [Column]
        var rows: [Row]
        var previous: String?
        var next: String?
    }

    var environmentName: String
    var environmentID: String
    /// Nil until a result is published.
    var published: Published?
}
