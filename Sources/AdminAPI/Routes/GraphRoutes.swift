import Foundation
import Hummingbird
import Platform

/// Microsoft Graph (issue 8): the tenant's app registration, the admin-consent URL and its callback,
/// and each mailbox's outcome in a run.
struct GraphRoutes {
    let platform: Platform
    let maximumBodyBytes: Int

    func register(
        pages: RouterGroup<AppRequestContext>, tenant: RouterGroup<TenantRequestContext>, environment: RouterGroup<EnvironmentRequestContext>
    ) {
        pages.get("graph/consent/callback", use: callback)
        tenant.get("graph", use: registration)
        tenant.put("graph", use: save)
        tenant.delete("graph", use: delete)
        tenant.post("graph/admin-consent", use: adminConsent)
        environment.get("runs/{run}/mailboxes", use: mailboxes)
    }

    /// The registration as the API shows it: never the secret; the hosts and the redirect URI to register in Entra.
    struct RegistrationView: Encodable {
        var registration: GraphRegistration
        var loginURL: String
        var graphURL: String
        var redirectURI: String

        func encode(to encoder: any Encoder) throws {
            try registration.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(loginURL, forKey: .loginURL)
            try container.encode(graphURL, forKey: .graphURL)
            try container.encode(redirectURI, forKey: .redirectURI)
        }

        enum Keys: String, CodingKey {
            case loginURL = "loginUrl"
            case graphURL = "graphUrl"
            case redirectURI = "redirectUri"
        }
    }

    func view(_ registration: GraphRegistration) -> RegistrationView {
        RegistrationView(
            registration: registration, loginURL: platform.graph.loginBase(for: registration.cloud),
            graphURL: platform.graph.apiBase(for: registration.cloud), redirectURI: platform.graphAdminConsent.redirectURI)
    }

    /// The owner or the Office 365 administrator reads it.
    @Sendable func registration(_ request: Request, context: TenantRequestContext) async throws -> Response {
        try context.authorize(.requestAdminConsent)
        guard let registration = try await platform.graphRegistrations.registration(tenant: context.tenantID) else {
            throw ServiceError.notFound("graph registration")
        }
        return try json(view(registration))
    }

    /// Creates or replaces it (owner): `{entra_tenant_id, client_id, client_secret, cloud}`; the secret may be left out on a change.
    @Sendable func save(_ request: Request, context: TenantRequestContext) async throws -> Response {
        try context.authorize(.manageGraphRegistration)
        let body = try await RequestBody.read(
            request, limit: maximumBodyBytes, allowed: ["entra_tenant_id", "client_id", "client_secret", "cloud"])
        let input = GraphRegistrationStore.Input(
            entraTenantID: try body.string("entra_tenant_id"), clientID: try body.string("client_id"),
            clientSecret: try body.optionalString("client_secret"),
            cloud: body.has("cloud") ? try body.choice("cloud", GraphCloud.self) : .global)
        let saved = try await platform.saveGraphRegistration(tenant: context.tenantID, input, by: context.caller)
        return try json(view(saved))
    }

    @Sendable func delete(_ request: Request, context: TenantRequestContext) async throws -> Response {
        try await platform.deleteGraphRegistration(tenant: context.tenantID, by: context.caller)
        return Response(status: .noContent)
    }

    /// A fresh admin-consent URL for the console (o365_admin or owner); its state is single use.
    @Sendable func adminConsent(_ request: Request, context: TenantRequestContext) async throws -> Response {
        let (url, expiresAt) = try await platform.adminConsentURL(tenant: context.tenantID, by: context.caller)
        struct Link: Encodable {
            var url: String
            var expiresAt: Date
        }
        return try json(Link(url: url, expiresAt: expiresAt), status: .created)
    }

    /// Where Microsoft sends the administrator back: `admin_consent=True&tenant=…&state=…`, or `error=…&error_description=…`.
    @Sendable func callback(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = Self.query(request.uri.query ?? "")
        do {
            switch try await platform.graphAdminConsent.callback(parameters, consent: platform.consent, control: platform.control) {
            case .granted(_, let name):
                let hours = Int(platform.firstRunDelay / 3600)
                return html(
                    title: "Consent recorded",
                    body: "<h1>Thank you</h1><p>Admin consent for \(escape(name)) is recorded. The first collection runs in about \(hours) hours.</p>")
            case .refused(_, let name, let reason):
                return html(
                    title: "Consent refused",
                    body: "<h1>Consent refused</h1><p>\(escape(name)) did not grant consent; nothing will be collected.</p><p>Microsoft said: \(escape(reason))</p>")
            }
        } catch let error as ServiceError {
            return ConsentPageRoutes.linkProblem(error, title: "Admin consent")
        }
    }

    /// Each selected mailbox's outcome in a run (viewer): done, forbidden (403) or not found, with Graph's reason.
    @Sendable func mailboxes(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        guard let run = try await platform.runs.run(tenant: context.tenantID, id: try context.id("run", "run")),
            run.environmentID == context.environment.id
        else { throw ServiceError.notFound("run") }
        return try json(try await platform.graphReadings(tenant: context.tenantID, run: run))
    }

    /// A query string, percent-decoded, `+` as a space (as the identity platform sends it).
    static func query(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if let key = parts.first, fields[key] == nil { fields[key] = parts.count > 1 ? parts[1] : "" }
        }
        return fields
    }
}

extension GraphRoutes {
    /// The OpenAPI entries of these routes (merged into `OpenAPIDocument`).
    static var openAPIPaths: [String: Any] {
        let tenant = OpenAPIDocument.parameter("tenant", "The tenant's id")
        let environment = OpenAPIDocument.parameter("environment", "The environment's id")
        return [
            "/v1/tenants/{tenant}/graph": [
                "parameters": [tenant],
                "get": OpenAPIDocument.operation("The Microsoft Graph app registration, never its secret (owner, o365_admin)", tag: "graph", response: "GraphRegistration"),
                "put": OpenAPIDocument.operation("Create or replace the app registration; the client secret is sealed and never returned (owner)", tag: "graph", request: "GraphRegistrationInput", response: "GraphRegistration"),
                "delete": OpenAPIDocument.operation("Remove the app registration (owner)", tag: "graph", response: nil, status: "204"),
            ],
            "/v1/tenants/{tenant}/graph/admin-consent": [
                "parameters": [tenant],
                "post": OpenAPIDocument.operation("A new admin-consent URL with a single-use state (o365_admin, owner)", tag: "graph", response: "GraphAdminConsentLink", status: "201"),
            ],
            "/v1/tenants/{tenant}/environments/{environment}/runs/{run}/mailboxes": [
                "parameters": [tenant, environment, OpenAPIDocument.parameter("run", "The run's id")],
                "get": OpenAPIDocument.operation("Each selected mailbox's outcome in the run (done, forbidden, not_found, quota_exceeded), each folder's reading, and the days of the year each mailbox covers (viewer)", tag: "graph", response: "GraphRunMailboxes"),
            ],
            "/graph/consent/callback": [
                "parameters": [
                    ["name": "admin_consent", "in": "query", "schema": OpenAPIDocument.string],
                    ["name": "tenant", "in": "query", "schema": OpenAPIDocument.string],
                    ["name": "state", "in": "query", "required": true, "schema": OpenAPIDocument.string],
                    ["name": "error", "in": "query", "schema": OpenAPIDocument.string],
                    ["name": "error_description", "in": "query", "schema": OpenAPIDocument.string],
                ],
                "get": OpenAPIDocument.htmlPage("Microsoft's admin-consent redirect: records the grant, or the refusal with its reason (HTML; the signed single-use state is the credential)"),
            ],
        ]
    }

    static var openAPISchemas: [String: Any] {
        let string = OpenAPIDocument.string
        let time = OpenAPIDocument.time
        let cloud: [String: Any] = ["enum": GraphCloud.allCases.map(\.rawValue)]
        return [
            "GraphRegistrationInput": OpenAPIDocument.object(
                ["entra_tenant_id": string, "client_id": OpenAPIDocument.uuid, "client_secret": ["type": "string", "writeOnly": true, "maxLength": 1024], "cloud": cloud],
                required: ["entra_tenant_id", "client_id"]),
            "GraphRegistration": OpenAPIDocument.object([
                "tenant_id": OpenAPIDocument.uuid, "entra_tenant_id": string, "client_id": string, "cloud": cloud, "has_secret": ["type": "boolean"],
                "secret_updated_at": time, "consented_at": OpenAPIDocument.nullable(time), "created_at": time, "updated_at": time,
                "login_url": string, "graph_url": string, "redirect_uri": string,
            ]),
            "GraphAdminConsentLink": OpenAPIDocument.object(["url": string, "expires_at": time]),
            "GraphRunMailboxes": OpenAPIDocument.object([
                "mailboxes": ["type": "array", "items": OpenAPIDocument.object([
                    "kind": ["enum": ["email", "meetings"]], "address": string, "directory_id": OpenAPIDocument.nullable(string),
                    "state": ["enum": ["done", "forbidden", "not_found", "quota_exceeded"]], "detail": OpenAPIDocument.nullable(string), "updated_at": time,
                ])],
                "folders": ["type": "array", "items": OpenAPIDocument.object([
                    "address": string, "folder": ["enum": ["inbox", "sentitems", "calendar"]], "complete": ["type": "boolean"],
                    "full_sync": ["type": "boolean"], "items": ["type": "integer"], "pages": ["type": "integer"], "resyncs": ["type": "integer"],
                    "resync_reason": OpenAPIDocument.nullable(string), "throttled": ["type": "integer"], "oldest_item": OpenAPIDocument.nullable(time),
                    "newest_item": OpenAPIDocument.nullable(time), "updated_at": time,
                ])],
                "coverage": ["type": "array", "items": ["$ref": "#/components/schemas/MailboxCoverage"]],
            ]),
            "MailboxCoverage": OpenAPIDocument.object([
                "address": string, "days_covered": ["type": "integer"], "window_days": ["type": "integer"], "reason": OpenAPIDocument.nullable(string),
            ]),
        ]
    }
}
