import Platform

/// One run's progress: each step with its state, counts, times and error.
struct ProgressPage: PageView {
    static let template = "progress"

    struct Step: Sendable {
        var step: String
        var state: String
        var cssClass: String
        var counts: String
        var started: String
        var finished: String
        var error: String

        init(_ step: RunRecord.Step) {
            self.step = step.step.rawValue.replacingOccurrences(of: "_", with: " ")
            state = step.state.rawValue
            cssClass = step.state == .failed ? "fail" : (step.state == .succeeded ? "pass" : "muted")
            counts = step.counts.sorted { $0.key < $1.key }.map { "\($0.key.replacingOccurrences(of: "_", with: " ")) \($0.value)" }
                .joined(separator: ", ")
            started = step.startedAt.map(PageFormat.time) ?? ""
            finished = step.finishedAt.map(PageFormat.time) ?? ""
            error = step.error ?? ""
        }
    }

    /// One selected mailbox's reading: its outcome and how many days of the year its data covers.
    struct Mailbox: Sendable {
        var address: String
        var days: String
        var cssClass: String
        var reason: String

        init(_ coverage: MailboxCoverage) {
            address = coverage.address
            days = "\(coverage.daysCovered) of \(coverage.windowDays)"
            cssClass = coverage.isComplete ? "pass" : "fail"
            reason = coverage.reason ?? ""
        }
    }

    var short: String
    var status: String
    var trigger: String
    var scheduled: String
    var attempts: Int
    var error: String
    /// Whether the run is still queued or running (the page then reloads itself).
    var refreshing: Bool
    var steps: [Step]
    /// What the run read through Microsoft Graph (empty for a run that read nothing there).
    var mailboxes: [Mailbox]
    var mailboxCount: Int
    var incompleteMailboxes: Int
    var readGraph: Bool

    init(_ run: RunRecord, readings: GraphRunReadings) {
        short = String(run.id.uuidString.prefix(8)).lowercased()
        status = run.status.rawValue
        trigger = run.trigger.rawValue
        scheduled = PageFormat.time(run.scheduledFor)
        attempts = run.attempts
        error = run.error ?? ""
        refreshing = run.status == .queued || run.status == .running
        steps = run.steps.map(Step.init)
        mailboxes = readings.coverage.map(Mailbox.init)
        mailboxCount = mailboxes.count
        incompleteMailboxes = readings.incomplete.count
        readGraph = !mailboxes.isEmpty
    }
}
