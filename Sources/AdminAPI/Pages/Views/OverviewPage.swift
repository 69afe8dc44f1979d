import Platform

/// An environment's overview: prerequisites with remedies, enrichment and consent state, next run, Run now.
struct OverviewPage: PageView {
    static let template = "overview"

    struct Check: Sendable {
        var id: String
        var status: String
        var cssClass: String
        var detail: String
        var remedy: String

        init(_ result: PrerequisiteResult) {
            id = result.id
            status = result.status.rawValue
            cssClass = result.status == .passed ? "pass" : "fail"
            detail = result.detail
            remedy = result.remedy
        }
    }

    struct Configured: Sendable {
        var name: String
        var mailboxes: Int
        var schedule: String
    }

    struct ActiveRun: Sendable {
        var id: String
        var status: String
    }

    var environmentName: String
    var region: String
    var environmentID: String
    var checks: [Check]
    var consent: String
    var consentDetail: String?
    var nextRun: String
    var canRun: Bool
    var csrf: String
    var configured: Configured?
    var activeRun: ActiveRun?
}
