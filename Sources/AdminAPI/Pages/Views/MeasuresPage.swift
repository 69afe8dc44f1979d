import Platform

/// The environment's measures, each with its Year value and monthly chart, and the form for a new one.
struct MeasuresPage: PageView {
    static let template = "measures"

    struct Row: Sendable {
        var id: String
        var name: String
        var function: String
        var column: String
        /// The segment it is over, or "all accounts".
        var scope: String
        var year: String
        var chart: String
    }

    struct Option: Sendable {
        var id: String
        var name: String
    }

    var environmentName: String
    var environmentID: String
    var csrf: String
    var measures: [Row]
    var functions: [String]
    var columns: [String]
    var segments: [Option]
}
