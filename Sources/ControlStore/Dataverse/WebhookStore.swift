import Crypto
import Engagement
import Foundation
import Postgres

/// Environments' webhooks and the deliveries waiting in the outbox.
///
/// The signing secret is never stored: it is HMAC-SHA256 of the tenant,
/// environment and a random salt under a key derived from the service secret,
/// shown once when the webhook is saved. Saving again draws a new salt, which
/// rotates the secret.
public struct WebhookStore: Sendable {
    public let control: TenantStore
    let serviceSecret: [UInt8]
    /// Allow `http://` URLs (development and tests); production receivers must use https.
    let allowsHTTP: Bool

    public init(control: TenantStore, serviceSecret: [UInt8], allowsHTTP: Bool = false) {
        self.control = control
        self.serviceSecret = serviceSecret
        self.allowsHTTP = allowsHTTP
    }

    /// Sets (or replaces) the environment's webhook; returns it with its new signing secret, shown only now.
    public func save(tenant: UUID, environment: UUID, url: String, by caller: Caller) async throws -> (webhook: EnvironmentWebhook, secret: String) {
        let url = try validated(url)
        let salt = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let moment = control.now()
        try await control.pool.withTransaction { connection in
            _ = try await control.lockEnvironment(connection, tenant: tenant, environment: environment)
            try await connection.execute(
                """
                INSERT INTO environment_webhook (tenant_id, environment_id, url, secret_salt, created_at, created_by)
                VALUES (\(tenant), \(environment), \(url), \(salt), \(moment), \(caller.principalID))
                ON CONFLICT (tenant_id, environment_id) DO UPDATE SET
                    url = excluded.url, secret_salt = excluded.secret_salt, created_at = excluded.created_at, created_by = excluded.created_by
                """)
            try await control.audit(
                connection, tenant: tenant, caller: caller, action: "webhook.set", target: "environment/\(environment)/webhook",
                details: ["url": url, "secret_id": String(salt.prefix(8))])
        }
        let webhook = EnvironmentWebhook(url: url, secretID: String(salt.prefix(8)), createdAt: moment, createdBy: caller.principalID)
        return (webhook, secret(tenant: tenant, environment: environment, salt: salt))
    }

    public func webhook(tenant: UUID, environment: UUID) async throws -> EnvironmentWebhook? {
        try await control.pool.query(
            "SELECT \(EnvironmentWebhook.columns) FROM environment_webhook WHERE tenant_id = \(tenant) AND environment_id = \(environment)"
        ).first.map(EnvironmentWebhook.init(row:))
    }

    /// Removes the webhook; deliveries still in the outbox are dropped when their turn comes.
    public func delete(tenant: UUID, environment: UUID, by caller: Caller) async throws {
        try await control.pool.withTransaction { connection in
            let removed = try await connection.execute(
                "DELETE FROM environment_webhook WHERE tenant_id = \(tenant) AND environment_id = \(environment)")
            guard removed == 1 else { throw ServiceError.notFound("webhook") }
            try await control.audit(connection, tenant: tenant, caller: caller, action: "webhook.remove", target: "environment/\(environment)/webhook")
        }
    }

    /// Queues `body` for the environment's webhook; false (nothing queued) when it has none.
    @discardableResult
    public func enqueue(tenant: UUID, environment: UUID, event: String, body: String, at moment: Date) async throws -> Bool {
        let inserted = try await control.pool.withConnection { try await $0.execute(
            """
            INSERT INTO outbox (tenant_id, environment_id, kind, recipient, subject, body, created_at, next_attempt_at)
            SELECT tenant_id, environment_id, 'webhook', url, \(event), \(body), \(moment), \(moment)
            FROM environment_webhook WHERE tenant_id = \(tenant) AND environment_id = \(environment)
            """) }
        return inserted == 1
    }

    /// The current URL and signing secret of an environment's webhook, for the sender; nil once removed.
    public func signingTarget(tenant: UUID, environment: UUID) async throws -> (url: String, secret: String)? {
        let rows = try await control.pool.query(
            "SELECT url, secret_salt FROM environment_webhook WHERE tenant_id = \(tenant) AND environment_id = \(environment)")
        guard let row = rows.first else { return nil }
        return (try row.decode(column: "url"), secret(tenant: tenant, environment: environment, salt: try row.decode(column: "secret_salt")))
    }

    func secret(tenant: UUID, environment: UUID, salt: String) -> String {
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: serviceSecret), salt: Data("rapport".utf8), info: Data("rapport.webhook.v1".utf8),
            outputByteCount: 32)
        let message = Data("\(tenant.uuidString.lowercased())/\(environment.uuidString.lowercased())/\(salt)".utf8)
        return "whsec_" + HMAC<SHA256>.authenticationCode(for: message, using: key).map { String(format: "%02x", $0) }.joined()
    }

    func validated(_ text: String) throws -> String {
        let value = text.trimmingCharacters(in: .whitespaces)
        guard value.count <= 2000, let components = URLComponents(string: value), let scheme = components.scheme?.lowercased(),
            scheme == "https" || (scheme == "http" && allowsHTTP), let host = components.host, !host.isEmpty,
            components.user == nil, components.password == nil, components.fragment == nil
        else {
            throw ServiceError(
                .invalid, allowsHTTP ? "must be an http or https URL with a host" : "must be an https URL with a host, such as https://hooks.example.com/rapport",
                field: "url")
        }
        return value
    }
}
