import Foundation
import Platform

/// The layout around every page: the signed-in bar, the environment's links, a notice or an error, a refresh.
struct PageChrome: PageView {
    static let template = "layout"

    /// The environment whose pages the bar links to.
    struct EnvironmentLink: Sendable {
        var id: String
        var name: String
    }

    var signedIn = false
    /// The session's CSRF token, for the sign-out form.
    var csrf: String?
    var environment: EnvironmentLink?
    var notice: String?
    var error: String?
    /// Seconds after which the page reloads itself.
    var refresh: Int?
    /// Set by `PageRenderer`.
    var title = ""
    /// The page's own HTML, set by `PageRenderer`.
    var content = ""

    init(error: String? = nil) {
        self.error = error
    }

    /// The chrome of a signed-in page, with the links of `environment`.
    init(
        _ session: PageSession.Active, environment: Environment? = nil, notice: String? = nil, error: String? = nil, refresh: Int? = nil
    ) {
        signedIn = true
        csrf = session.csrf
        self.environment = environment.map { EnvironmentLink(id: $0.id.uuidString.lowercased(), name: $0.name) }
        self.notice = notice
        self.error = error
        self.refresh = refresh
    }
}
