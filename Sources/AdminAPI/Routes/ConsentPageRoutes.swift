import Foundation
import Hummingbird
import Platform

/// The page a consent email links to: the tenant administrator grants or refuses there, once.
struct ConsentPageRoutes {
    let services: AppServices

    func register(on router: Router<AppRequestContext>) {
        router.get("consent/{token}", use: page)
        router.post("consent/{token}", use: decide)
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        do {
            let (_, tenantName, sentTo) = try await services.platform.consent.inspect(token: token, at: services.now())
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
            return html(title: "Consent link", body: "<h1>Consent link</h1><p>\(escape(error.message))</p>", status: Self.status(error))
        }
    }

    @Sendable func decide(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        let form = try await request.body.collect(upTo: 16 * 1024)
        let fields = Self.formFields(String(buffer: form))
        guard let decision = fields["decision"], decision == "grant" || decision == "refuse" else {
            return html(title: "Consent", body: "<h1>Consent</h1><p>Choose grant or refuse.</p>", status: .badRequest)
        }
        let reason = fields["reason"].flatMap { $0.isEmpty ? nil : String($0.prefix(1000)) }
        do {
            _ = try await services.platform.consent.decide(
                token: token, grant: decision == "grant", reason: reason, control: services.control, at: services.now())
            let text = decision == "grant"
                ? "Consent is granted. The first collection runs in about \(Int(services.platform.firstRunDelay / 3600)) hours."
                : "Consent is refused; nothing will be collected."
            return html(title: "Consent recorded", body: "<h1>Thank you</h1><p>\(escape(text))</p>")
        } catch let error as ServiceError {
            return html(title: "Consent link", body: "<h1>Consent link</h1><p>\(escape(error.message))</p>", status: Self.status(error))
        }
    }

    static func status(_ error: ServiceError) -> HTTPResponse.Status {
        switch error.code {
        case .notFound: .notFound
        case .conflict: .gone
        default: .badRequest
        }
    }

    /// Parses `application/x-www-form-urlencoded`.
    static func formFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if let key = parts.first { fields[key] = parts.count > 1 ? parts[1] : "" }
        }
        return fields
    }
}

/// Escapes text for HTML content and attribute values (the same rules as SVG's).
func escape(_ text: String) -> String {
    SVGChart.escape(text)
}

/// A small self-contained HTML page with a strict Content-Security-Policy.
func html(title: String, body: String, status: HTTPResponse.Status = .ok) -> Response {
    let page = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) — Rapport</title>
        <style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
        button{font:inherit;padding:.5rem 1rem;margin-right:.5rem}textarea{width:100%;font:inherit}</style>
        </head><body>\(body)</body></html>
        """
    return Response(
        status: status,
        headers: [
            .contentType: "text/html; charset=utf-8",
            .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            .init("X-Content-Type-Options")!: "nosniff",
            .init("Referrer-Policy")!: "no-referrer",
        ],
        body: .init(byteBuffer: ByteBuffer(string: page)))
}
