import Engagement
import Foundation
import Postgres

/// Consent requests, decisions and withdrawal, in the control database.
///
/// A request mails the tenant's Office 365 administrator a link with a
/// signed, expiring, single-use token (through the outbox, in the same
/// transaction). Granting schedules every enrichment's first run
/// `firstRunDelay` later; withdrawing stops schedules and cancels runs (the
/// caller deletes the region data).
public struct ConsentStore: Sendable {
    public let pool: PostgresPool
    let secret: [UInt8]
    /// Where links in consent emails point, e.g. `https://rapport.example.com`.
    let publicBaseURL: String
    let firstRunDelay: TimeInterval
    let tokenLifetime: TimeInterval
    /// Microsoft Graph (issue 8): the request also carries the admin-consent URL of the tenant's app, when it has one.
    let graph: GraphSettings

    public init(
        pool: PostgresPool, secret: [UInt8], publicBaseURL: String, firstRunDelay: TimeInterval = 6 * 3600,
        tokenLifetime: TimeInterval = 7 * 86_400, graph: GraphSettings = GraphSettings()
    ) {
        self.pool = pool
        self.secret = secret
        self.publicBaseURL = publicBaseURL
        self.firstRunDelay = firstRunDelay
        self.tokenLifetime = tokenLifetime
        self.graph = graph
    }

    public func state(tenant: UUID) async throws -> ConsentState {
        let rows = try await pool.query("SELECT \(ConsentState.columns) FROM consent WHERE tenant_id = \(tenant)")
        return try rows.first.map(ConsentState.init(row:)) ?? ConsentState(status: .none)
    }

    /// Asks for consent unless it is granted: a request, its token, and the email in the outbox.
    ///
    /// Returns the link sent (for the audit and for tests), or nil when consent was already granted.
    @discardableResult
    public func request(
        tenant: UUID, environmentName: String, by caller: Caller, control: TenantStore, at moment: Date,
        in connection: PostgresConnection
    ) async throws -> String? {
        let current = try await connection.query("SELECT status FROM consent WHERE tenant_id = \(tenant) FOR UPDATE")
        let status: String? = try current.first(decoding: String.self)
        if status == "granted" { return nil }
        let administrator = try await connection.query(
            "SELECT notify_email FROM role_assignment WHERE tenant_id = \(tenant) AND role = 'o365_admin' ORDER BY created_at LIMIT 1")
        guard let address = try administrator.first(decoding: String.self) else {
            throw ServiceError(.unprocessable, "no Office 365 administrator is named for the tenant, so consent cannot be requested", field: "tenant_consent")
        }
        let tenantName = try await connection.query("SELECT name FROM tenant WHERE tenant_id = \(tenant)")[0].decode(String.self, at: 0)
        let token = ConsentToken(tenant: tenant, request: UUID(), expiresAt: moment.addingTimeInterval(tokenLifetime))
        let signed = token.signed(with: secret)
        try await connection.execute(
            """
            INSERT INTO consent_request (tenant_id, request_id, token_hash, sent_to, created_at, expires_at)
            VALUES (\(tenant), \(token.request), \(ConsentToken.hash(signed)), \(address), \(moment), \(token.expiresAt))
            """)
        try await connection.execute(
            """
            INSERT INTO consent (tenant_id, status, updated_at) VALUES (\(tenant), 'requested', \(moment))
            ON CONFLICT (tenant_id) DO UPDATE SET status = 'requested', updated_at = excluded.updated_at,
                decided_at = NULL, decided_by = NULL, reason = NULL
            """)
        let link = "\(publicBaseURL)/consent/\(signed)"
        // Microsoft Graph (issue 8): the app's admin-consent URL, its state bound to this request.
        let adminConsent = try await GraphAdminConsent(pool: pool, secret: secret, publicBaseURL: publicBaseURL, settings: graph)
            .emailParagraph(connection, tenant: tenant, request: token.request, expiresAt: token.expiresAt, at: moment)
        try await OutboxStore.enqueue(
            connection, tenant: tenant, recipient: address,
            subject: "Rapport: consent requested for \(tenantName)",
            body: """
                Hello,

                An administrator of \(tenantName) configured the Rapport enrichment "\(environmentName)". It reads the \
                metadata (senders, recipients, times; never subjects or bodies) of the selected mailboxes' email and \
                meetings for the last year, and publishes account-level aggregates only.

                As the organization's Office 365 administrator, please review and grant or refuse consent:

                \(link)
                \(adminConsent)
                The link works once and expires on \(ISO8601DateFormatter().string(from: token.expiresAt)). You can also \
                decide in the Rapport admin console. Nothing is collected before consent is granted.
                """,
            at: moment)
        try await control.audit(
            connection, tenant: tenant, caller: caller, action: "consent.request", target: "tenant/\(tenant)/consent",
            details: ["sent_to": address, "request_id": token.request.uuidString.lowercased()])
        return link
    }

    /// What a consent link refers to, checked but not used.
    public func inspect(token text: String, at moment: Date) async throws -> (tenant: UUID, tenantName: String, sentTo: String) {
        let token = try verify(text, at: moment)
        let rows = try await pool.query(
            """
            SELECT t.name, r.sent_to, r.used_at IS NOT NULL FROM consent_request r JOIN tenant t USING (tenant_id)
            WHERE r.tenant_id = \(token.tenant) AND r.request_id = \(token.request) AND r.token_hash = \(ConsentToken.hash(text))
            """)
        guard let row = rows.first else { throw ServiceError(.notFound, "this consent link is not valid") }
        let (name, sentTo, used) = try row.decode((String, String, Bool).self)
        guard !used else { throw ServiceError(.conflict, "this consent link has already been used") }
        return (token.tenant, name, sentTo)
    }

    /// Records the decision made through an email link; the token is used up.
    public func decide(token text: String, grant: Bool, reason: String?, control: TenantStore, at moment: Date) async throws -> UUID {
        let token = try verify(text, at: moment)
        return try await pool.withTransaction { connection in
            let used = try await connection.query(
                """
                UPDATE consent_request SET used_at = \(moment)
                WHERE tenant_id = \(token.tenant) AND request_id = \(token.request) AND token_hash = \(ConsentToken.hash(text)) AND used_at IS NULL
                RETURNING sent_to, created_at
                """)
            guard let row = used.first else {
                throw ServiceError(.conflict, "this consent link has already been used or is not valid")
            }
            let (sentTo, sentAt) = try row.decode((String, Date).self)
            try await requireNoLaterDecision(connection, tenant: token.tenant, than: sentAt)
            try await record(
                connection, tenant: token.tenant, grant: grant, decidedBy: sentTo, reason: reason,
                caller: Caller(identity: .principal(tenantID: token.tenant, principalID: UUID()), keyID: Caller.systemKeyID, roles: []),
                control: control, at: moment)
            return token.tenant
        }
    }

    /// Records a decision made in the console by a principal holding the o365_admin role.
    public func decide(tenant: UUID, grant: Bool, reason: String?, by caller: Caller, control: TenantStore, at moment: Date) async throws {
        try await pool.withTransaction { connection in
            try await record(
                connection, tenant: tenant, grant: grant, decidedBy: caller.principalID?.uuidString.lowercased(), reason: reason,
                caller: caller, control: control, at: moment)
            // The emailed links and admin-consent states out there are superseded by this decision.
            try await connection.execute(
                "UPDATE consent_request SET used_at = \(moment) WHERE tenant_id = \(tenant) AND used_at IS NULL")
            try await connection.execute(
                "UPDATE graph_consent_state SET used_at = \(moment) WHERE tenant_id = \(tenant) AND used_at IS NULL")
        }
    }

    /// Refuses a link or reply issued before the tenant's latest recorded decision: a newer decision stands.
    func requireNoLaterDecision(_ connection: PostgresConnection, tenant: UUID, than issuedAt: Date) async throws {
        let decided = try await connection.query(
            "SELECT decided_at FROM consent WHERE tenant_id = \(tenant) AND decided_at IS NOT NULL AND decided_at >= \(issuedAt) FOR UPDATE"
        ).first(decoding: Date.self)
        if let decided {
            throw ServiceError(
                .conflict,
                "a newer decision was recorded on \(ISO8601DateFormatter().string(from: decided)); this link no longer works, ask for a new one")
        }
    }

    /// Records a decision and, for a grant, schedules the first runs (also used by the Graph admin-consent callback).
    func record(
        _ connection: PostgresConnection, tenant: UUID, grant: Bool, decidedBy: String?, reason: String?, caller: Caller,
        control: TenantStore, at moment: Date
    ) async throws {
        let status = grant ? "granted" : "refused"
        try await connection.execute(
            """
            INSERT INTO consent (tenant_id, status, decided_at, decided_by, reason, updated_at)
            VALUES (\(tenant), \(status), \(moment), \(decidedBy), \(reason), \(moment))
            ON CONFLICT (tenant_id) DO UPDATE SET status = excluded.status, decided_at = excluded.decided_at,
                decided_by = excluded.decided_by, reason = excluded.reason, updated_at = excluded.updated_at
            """)
        if grant {
            // Every configured enrichment's first run comes `firstRunDelay` after the grant.
            try await connection.execute(
                """
                UPDATE enrichment SET next_run_at = \(moment.addingTimeInterval(firstRunDelay))
                WHERE tenant_id = \(tenant) AND schedule <> 'off'
                """)
        }
        try await control.audit(
            connection, tenant: tenant, caller: caller, action: grant ? "consent.grant" : "consent.refuse",
            target: "tenant/\(tenant)/consent", details: ["decided_by": decidedBy ?? "", "reason": reason ?? ""])
    }

    /// Withdraws consent: schedules stop and queued or running runs are cancelled, in one transaction.
    ///
    /// Returns how many runs were cancelled; the caller deletes the region data.
    public func withdraw(tenant: UUID, by caller: Caller, control: TenantStore, at moment: Date) async throws -> Int {
        return try await pool.withTransaction { connection in
            try await connection.execute(
                """
                INSERT INTO consent (tenant_id, status, decided_at, decided_by, updated_at)
                VALUES (\(tenant), 'withdrawn', \(moment), \(caller.principalID?.uuidString.lowercased()), \(moment))
                ON CONFLICT (tenant_id) DO UPDATE SET status = 'withdrawn', decided_at = excluded.decided_at,
                    decided_by = excluded.decided_by, reason = NULL, updated_at = excluded.updated_at
                """)
            try await connection.execute("UPDATE enrichment SET next_run_at = NULL WHERE tenant_id = \(tenant)")
            try await connection.execute(
                "UPDATE consent_request SET used_at = \(moment) WHERE tenant_id = \(tenant) AND used_at IS NULL")
            let cancelled = try await connection.execute(
                """
                UPDATE run SET status = 'cancelled', finished_at = \(moment), error = 'consent withdrawn',
                    lease_owner = NULL, lease_expires_at = NULL
                WHERE tenant_id = \(tenant) AND status IN ('queued', 'running')
                """)
            try await control.audit(
                connection, tenant: tenant, caller: caller, action: "consent.withdraw", target: "tenant/\(tenant)/consent",
                details: ["runs_cancelled": "\(cancelled)"])
            return cancelled
        }
    }

    private func verify(_ text: String, at moment: Date) throws -> ConsentToken {
        do {
            return try ConsentToken.verify(text, secret: secret, at: moment)
        } catch .expired {
            throw ServiceError(.conflict, "this consent link has expired; ask for a new one")
        } catch {
            throw ServiceError(.notFound, "this consent link is not valid")
        }
    }
}
