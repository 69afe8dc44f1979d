import Platform

/// The environment's runs, newest first.
struct RunsPage: PageView {
    static let template = "runs"

    struct Row: Sendable {
        var id: String
        /// The id's first eight characters.
        var short: String
        var status: String
        var trigger: String
        var scheduled: String
        var finished: String

        init(_ run: RunRecord) {
            id = run.id.uuidString.lowercased()
            short = String(run.id.uuidString.prefix(8)).lowercased()
            status = run.status.rawValue
            trigger = run.trigger.rawValue
            scheduled = PageFormat.time(run.scheduledFor)
            finished = run.finishedAt.map(PageFormat.time) ?? ""
        }
    }

    var environmentName: String
    var environmentID: String
    var runs: [Row]
}
