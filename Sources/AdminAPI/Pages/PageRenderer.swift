import Foundation
import Hummingbird
import Mustache

/// Renders page views inside the layout, with the headers every page gets.
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    init() {
        var templates: [String: MustacheTemplate] = [:]
        for (name, text) in PageTemplates.all {
            // The templates are fixed text in this file set; a syntax error is a programming error.
            templates[name] = try! MustacheTemplate(string: text)
        }
        library = MustacheLibrary(templates: templates)
    }

    /// The strictest policy the pages work with: no script at all, styles and images from this origin only.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func page<View: PageView>(
        _ view: View, title: String, chrome: PageChrome = PageChrome(), status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]
    ) -> Response {
        var layout = chrome
        layout.title = title
        layout.content = library.render(view, withTemplate: View.template) ?? ""
        let html = library.render(layout, withTemplate: PageChrome.template) ?? ""
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .contentSecurityPolicy: Self.contentSecurityPolicy,
            .init("X-Content-Type-Options")!: "nosniff",
            .init("Referrer-Policy")!: "same-origin",
            .cacheControl: "no-store",
        ]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A 400 page that says what was wrong with the request.
    func badRequest(_ session: PageSession.Active, _ problem: String) -> Response {
        page(MessagePage(heading: "Bad request"), title: "Bad request", chrome: PageChrome(session, error: problem), status: .badRequest)
    }

    /// The 404 page: an unknown page, or an environment the caller holds no role on.
    func notFound(_ session: PageSession.Active?) -> Response {
        page(
            MessagePage(heading: "Not found"), title: "Not found",
            chrome: session.map { PageChrome($0, error: "There is no such page for you.") } ?? PageChrome(), status: .notFound)
    }

    /// The page of an error behind a page: its status and `APIError`'s message, never a database's text.
    @Sendable func errorPage(_ error: APIError) -> Response {
        let heading = error.status.reasonPhrase
        return page(MessagePage(heading: heading), title: heading, chrome: PageChrome(error: error.message), status: error.status)
    }

    static func redirect(_ location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.location: location]
        headers.append(contentsOf: extra)
        return Response(status: .seeOther, headers: headers)
    }
}
