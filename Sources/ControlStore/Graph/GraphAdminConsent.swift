import Engagement
import Foundation
import Postgres

/// The Microsoft identity platform's admin-consent URL for a tenant's app, and its callback.
///
/// The URL is `{login}/{entra tenant}/v2.0/adminconsent?client_id=…&scope={graph}/.default&redirect_uri={public base}/graph/consent/callback&state=…`.
/// Its `state` is a `GraphConsentState`, bound to the consent request it was
/// mailed with (or to a console request), expiring with it, usable once. The
/// callback turns `admin_consent=True` into the tenant's grant (which schedules
/// the first run) and `error=…&error_description=…` into a refusal with its reason.
public struct GraphAdminConsent: Sendable {
    public let pool: PostgresPool
    let secret: [UInt8]
    let publicBaseURL: String
    let settings: GraphSettings
    let stateLifetime: TimeInterval

    public init(pool: PostgresPool, secret: [UInt8], publicBaseURL: String, settings: GraphSettings, stateLifetime: TimeInterval = 7 * 86_400) {
        self.pool = pool
        self.secret = secret
        self.publicBaseURL = publicBaseURL
        self.settings = settings
        self.stateLifetime = stateLifetime
    }

    /// The path Microsoft redirects the administrator to.
    public static let callbackPath = "/graph/consent/callback"

    public var redirectURI: String {
        var base = publicBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + Self.callbackPath
    }

    /// Makes a new single-use state for `tenant` and returns the URL; nil when the tenant has no app registration.
    public func makeURL(
        _ connection: PostgresConnection, tenant: UUID, request: UUID?, expiresAt: Date, at moment: Date
    ) async throws -> String? {
        guard let registration = try await GraphRegistrationStore.registration(connection, tenant: tenant) else { return nil }
        let state = GraphConsentState(tenant: tenant, id: UUID(), expiresAt: expiresAt)
        let signed = state.signed(with: secret)
        try await connection.execute(
            """
            INSERT INTO graph_consent_state (tenant_id, state_id, request_id, state_hash, created_at, expires_at)
            VALUES (\(tenant), \(state.id), \(request), \(ConsentToken.hash(signed)), \(moment), \(expiresAt))
            """)
        let query = [
            ("client_id", registration.clientID), ("scope", registration.cloud.defaultScope), ("redirect_uri", redirectURI),
            ("state", signed),
        ].map { "\($0.0)=\(Self.percentEncoded($0.1))" }.joined(separator: "&")
        return "\(settings.loginBase(for: registration.cloud))/\(Self.percentEncoded(registration.entraTenantID))/v2.0/adminconsent?\(query)"
    }

    /// A URL for the console (o365_admin): its state belongs to no emailed request.
    public func consoleURL(tenant: UUID, by caller: Caller, control: TenantStore) async throws -> (url: String, expiresAt: Date) {
        let moment = control.now()
        let expiresAt = moment.addingTimeInterval(stateLifetime)
        let url = try await pool.withTransaction { connection in
            let url = try await makeURL(connection, tenant: tenant, request: nil, expiresAt: expiresAt, at: moment)
            if url != nil {
                try await control.audit(connection, tenant: tenant, caller: caller, action: "graph.admin_consent_url", target: "tenant/\(tenant)/graph")
            }
            return url
        }
        guard let url else {
            throw ServiceError(.unprocessable, "the tenant has no Microsoft Graph app registration; the owner saves one first (PUT /v1/tenants/{tenant}/graph)")
        }
        return (url, expiresAt)
    }

    /// What the callback recorded.
    public enum Outcome: Sendable, Equatable {
        case granted(tenant: UUID, tenantName: String)
        case refused(tenant: UUID, tenantName: String, reason: String)
    }

    /// Handles Microsoft's redirect: `admin_consent`, `tenant`, `state`, or `error` and `error_description`.
    ///
    /// A state that is forged or unknown is "not found"; one used or expired is a
    /// conflict. The state is used up first, in its own transaction, so a reply
    /// counts once whatever its outcome: a grant needs `tenant` present and equal
    /// to the registration's Entra tenant, and a refused reply cannot be replayed
    /// (with or without `tenant`) to record a grant.
    public func callback(_ parameters: [String: String], consent: ConsentStore, control: TenantStore) async throws -> Outcome {
        guard let text = parameters["state"], !text.isEmpty else {
            throw ServiceError(.notFound, "the reply carries no state; start again from the consent email or the console")
        }
        let moment = control.now()
        let state: GraphConsentState
        do {
            state = try GraphConsentState.verify(text, secret: secret, at: moment)
        } catch .expired {
            throw ServiceError(.conflict, "this admin-consent link has expired; ask for a new one")
        } catch {
            throw ServiceError(.notFound, "this admin-consent reply is not valid")
        }
        let used = try await pool.query(
            """
            UPDATE graph_consent_state SET used_at = \(moment)
            WHERE tenant_id = \(state.tenant) AND state_id = \(state.id) AND state_hash = \(ConsentToken.hash(text)) AND used_at IS NULL
            RETURNING request_id, created_at
            """)
        guard let row = used.first else {
            throw ServiceError(.conflict, "this admin-consent reply has already been used or is not valid")
        }
        let (request, issuedAt) = try row.decode((UUID?, Date).self)
        return try await pool.withTransaction { connection in
            guard let registration = try await GraphRegistrationStore.registration(connection, tenant: state.tenant) else {
                throw ServiceError(.unprocessable, "the tenant's Microsoft Graph app registration was removed")
            }
            try await consent.requireNoLaterDecision(connection, tenant: state.tenant, than: issuedAt)
            let tenantName = try await connection.query("SELECT name FROM tenant WHERE tenant_id = \(state.tenant)")[0].decode(String.self, at: 0)
            let system = Caller(identity: .principal(tenantID: state.tenant, principalID: UUID()), keyID: Caller.systemKeyID, roles: [])
            if let error = parameters["error"], !error.isEmpty {
                let description = parameters["error_description"].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
                let reason = String((description.isEmpty ? error : "\(error): \(description)").prefix(1000))
                try await consent.record(
                    connection, tenant: state.tenant, grant: false, decidedBy: "microsoft-admin-consent", reason: reason, caller: system,
                    control: control, at: moment)
                try await Self.useRequest(connection, tenant: state.tenant, request: request, at: moment)
                return .refused(tenant: state.tenant, tenantName: tenantName, reason: reason)
            }
            guard parameters["admin_consent"]?.lowercased() == "true" else {
                throw ServiceError(.invalid, "the reply says neither admin_consent=True nor error; nothing was recorded", field: "admin_consent")
            }
            let consentedIn = parameters["tenant"]?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            guard !consentedIn.isEmpty else {
                throw ServiceError(.invalid, "the reply names no Entra tenant; nothing was recorded, ask for a new link", field: "tenant")
            }
            guard Self.sameTenant(consentedIn, registration.entraTenantID) else {
                throw ServiceError(
                    .conflict,
                    "consent was given in Entra tenant \(consentedIn), but the app registration names \(registration.entraTenantID); nothing was recorded")
            }
            try await consent.record(
                connection, tenant: state.tenant, grant: true, decidedBy: "microsoft-admin-consent:\(consentedIn)",
                reason: nil, caller: system, control: control, at: moment)
            try await connection.execute("UPDATE graph_registration SET consented_at = \(moment) WHERE tenant_id = \(state.tenant)")
            try await Self.useRequest(connection, tenant: state.tenant, request: request, at: moment)
            return .granted(tenant: state.tenant, tenantName: tenantName)
        }
    }

    /// Whether the tenant Microsoft names is the registration's: ids compare as UUIDs, domain names without case.
    static func sameTenant(_ replied: String, _ registered: String) -> Bool {
        if let a = UUID(uuidString: replied), let b = UUID(uuidString: registered) { return a == b }
        return replied.lowercased() == registered.lowercased()
    }

    /// The emailed request the URL belonged to is decided: its own link is used up too.
    private static func useRequest(_ connection: PostgresConnection, tenant: UUID, request: UUID?, at moment: Date) async throws {
        guard let request else { return }
        try await connection.execute(
            "UPDATE consent_request SET used_at = \(moment) WHERE tenant_id = \(tenant) AND request_id = \(request) AND used_at IS NULL")
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters (query values and path segments).
    public static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 15)]))
            }
        }
        return out
    }
}
