import Foundation
import Hummingbird
import Mustache

/// Renders page templates inside the layout, with the headers every page gets.
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

    func page(
        _ template: String, title: String, data: [String: Any], chrome: [String: Any] = [:], status: HTTPResponse.Status = .ok,
        headers extra: HTTPFields = [:]
    ) -> Response {
        let content = library.render(data, withTemplate: template) ?? ""
        var layout = chrome
        layout["title"] = title
        layout["content"] = content
        let html = library.render(layout, withTemplate: "layout") ?? ""
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .contentSecurityPolicy: Self.contentSecurityPolicy,
            .init("X-Content-Type-Options")!: "nosniff",
            .init("Referrer-Policy")!: "same-origin",
            .cacheControl: "no-store",
        ]
        for field in extra { headers.append(field) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func redirect(_ location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.location: location]
        for field in extra { headers.append(field) }
        return Response(status: .seeOther, headers: headers)
    }
}
