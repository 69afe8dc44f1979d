import Foundation
import Hummingbird
import Platform

/// The page a consent email links to: the tenant administrator grants or refuses there, once.
struct ConsentPageRoutes {
    let platform: Platform

    /// The consent form's fields.
    struct Decision: Decodable {
        var decision: String?
        var reason: String?
    }

    func register(on pages: RouterGroup<AppRequestContext>) {
        pages.get("consent/{token}", use: page)
        pages.post("consent/{token}", use: decide)
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        do {
            let (_, tenantName, sentTo) = try await platform.consent.inspect(token: token, at: platform.now())
            return html(
                title: "Consent for \(tenantName)",
                body: """
                    <h1>Consent for \(escape(tenantName))</h1>
                    <p>This request was sent to \(escape(sentTo)), the Office 365 administrator of \(escape(tenantName)).</p>
                    <p>Rapport reads the <strong>metadata</strong> of the selected mailboxes' email and meetings for the last year:
                    senders, recipients and times. It never reads subjects, bodies or attachments, stores every address only as a
                    keyed hash inside the environment's region, and publishes account-level aggregates only.</p>
                    <form method="post">
                      <label for="reason">Reason (optional, for a refusal)</label>
                      <textarea id="reason" name="reason" rows="3" maxlength="1000"></textarea>
                      <p><button name="decision" value="grant">Grant consent</button>
                      <button name="decision" value="refuse">Refuse</button></p>
                    </form>
                    """)
        } catch let error as ServiceError {
            return Self.linkProblem(error)
        }
    }

    @Sendable func decide(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        let form = try await PageForm.decode(Decision.self, from: request, limit: 16 * 1024)
        guard let decision = form?.decision, decision == "grant" || decision == "refuse" else {
            return html(title: "Consent", body: "<h1>Consent</h1><p>Choose grant or refuse.</p>", status: .badRequest)
        }
        let reason = form?.reason.flatMap { $0.isEmpty ? nil : String($0.prefix(1000)) }
        do {
            _ = try await platform.consent.decide(
                token: token, grant: decision == "grant", reason: reason, control: platform.control, at: platform.now())
            let text = decision == "grant"
                ? "Consent is granted. The first collection runs in about \(Int(platform.firstRunDelay / 3600)) hours."
                : "Consent is refused; nothing will be collected."
            return html(title: "Consent recorded", body: "<h1>Thank you</h1><p>\(escape(text))</p>")
        } catch let error as ServiceError {
            return Self.linkProblem(error)
        }
    }

    /// A consent link that is unknown (404), already used or superseded (410), or malformed (400).
    static func linkProblem(_ error: ServiceError, title: String = "Consent link") -> Response {
        html(title: title, body: "<h1>\(escape(title))</h1><p>\(escape(error.message))</p>", status: status(error))
    }

    static func status(_ error: ServiceError) -> HTTPResponse.Status {
        switch error.code {
        case .notFound: .notFound
        case .conflict: .gone
        default: .badRequest
        }
    }

    /// The page of an error behind the consent and admin-consent pages.
    @Sendable static func errorPage(_ error: APIError) -> Response {
        html(title: error.status.reasonPhrase, body: "<h1>\(escape(error.status.reasonPhrase))</h1><p>\(escape(error.message))</p>", status: error.status)
    }
}
