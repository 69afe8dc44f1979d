import Engagement
import Foundation
import Postgres

/// Tenants' Entra app registrations in the control database, client secrets sealed.
public struct GraphRegistrationStore: Sendable {
    public let pool: PostgresPool
    let box: GraphSecretBox

    public init(pool: PostgresPool, box: GraphSecretBox) {
        self.pool = pool
        self.box = box
    }

    /// What a PUT asks for; `clientSecret` may be left out to keep the stored one.
    public struct Input: Sendable {
        public var entraTenantID: String
        public var clientID: String
        public var clientSecret: String?
        public var cloud: GraphCloud

        public init(entraTenantID: String, clientID: String, clientSecret: String?, cloud: GraphCloud = .global) {
            self.entraTenantID = entraTenantID
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.cloud = cloud
        }
    }

    /// Creates or replaces the tenant's registration (owner); the secret is sealed, never logged or audited.
    public func save(tenant: UUID, _ input: Input, by caller: Caller, control: TenantStore) async throws -> GraphRegistration {
        let entraTenant = try Self.entraTenant(input.entraTenantID)
        guard let client = UUID(uuidString: input.clientID.trimmingCharacters(in: .whitespaces)) else {
            throw ServiceError(.invalid, "must be the application (client) id, a GUID", field: "client_id")
        }
        let clientID = client.uuidString.lowercased()
        var sealed: Data?
        if let secret = input.clientSecret {
            guard (1...1024).contains(secret.count), !secret.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == " " }) else {
                throw ServiceError(.invalid, "must be 1 to 1024 characters without spaces or control characters", field: "client_secret")
            }
            sealed = try box.seal(secret, tenant: tenant)
        }
        let moment = control.now()
        try await pool.withTransaction { connection in
            try await control.requireTenant(connection, tenant)
            let exists = try await connection.query("SELECT 1 FROM graph_registration WHERE tenant_id = \(tenant) FOR UPDATE")
            if exists.isEmpty {
                guard let sealed else { throw ServiceError(.invalid, "is required for a new registration", field: "client_secret") }
                try await connection.execute(
                    """
                    INSERT INTO graph_registration (tenant_id, entra_tenant_id, client_id, cloud, secret_sealed, secret_key_id,
                                                    secret_updated_at, created_at, updated_at)
                    VALUES (\(tenant), \(entraTenant), \(clientID), \(input.cloud.rawValue), \(sealed), \(box.keyID), \(moment), \(moment), \(moment))
                    """)
            } else {
                try await connection.execute(
                    """
                    UPDATE graph_registration SET entra_tenant_id = \(entraTenant), client_id = \(clientID), cloud = \(input.cloud.rawValue),
                        updated_at = \(moment)
                    WHERE tenant_id = \(tenant)
                    """)
                if let sealed {
                    try await connection.execute(
                        """
                        UPDATE graph_registration SET secret_sealed = \(sealed), secret_key_id = \(box.keyID), secret_updated_at = \(moment)
                        WHERE tenant_id = \(tenant)
                        """)
                }
            }
            try await control.audit(
                connection, tenant: tenant, caller: caller, action: "graph.registration.save", target: "tenant/\(tenant)/graph",
                details: [
                    "entra_tenant_id": entraTenant, "client_id": clientID, "cloud": input.cloud.rawValue,
                    "secret_changed": sealed == nil ? "false" : "true",
                ])
        }
        guard let saved = try await registration(tenant: tenant) else { throw ServiceError.notFound("graph registration") }
        return saved
    }

    public func registration(tenant: UUID) async throws -> GraphRegistration? {
        try await pool.withConnection { try await Self.registration($0, tenant: tenant) }
    }

    /// The registration with its secret opened, for the connector; nil when the tenant has none.
    public func credentials(tenant: UUID) async throws -> GraphCredentials? {
        let rows = try await pool.query("SELECT secret_sealed, secret_key_id FROM graph_registration WHERE tenant_id = \(tenant)")
        guard let row = rows.first, let registration = try await registration(tenant: tenant) else { return nil }
        let (sealed, keyID) = try row.decode((Data, String).self)
        return GraphCredentials(registration: registration, clientSecret: try box.open(sealed, keyID: keyID, tenant: tenant))
    }

    public func delete(tenant: UUID, by caller: Caller, control: TenantStore) async throws {
        try await pool.withTransaction { connection in
            let deleted = try await connection.execute("DELETE FROM graph_registration WHERE tenant_id = \(tenant)")
            guard deleted == 1 else { throw ServiceError.notFound("graph registration") }
            try await connection.execute("DELETE FROM graph_consent_state WHERE tenant_id = \(tenant) AND used_at IS NULL")
            try await control.audit(connection, tenant: tenant, caller: caller, action: "graph.registration.delete", target: "tenant/\(tenant)/graph")
        }
    }

    static func registration(_ connection: PostgresConnection, tenant: UUID) async throws -> GraphRegistration? {
        let rows = try await connection.query("SELECT \(GraphRegistration.columns) FROM graph_registration WHERE tenant_id = \(tenant)")
        return try rows.first.map(GraphRegistration.init(row:))
    }

    /// An Entra tenant: a GUID (lowercased) or a verified domain; `common`, `organizations` and `consumers` are refused.
    static func entraTenant(_ value: String) throws -> String {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let id = UUID(uuidString: text) { return id.uuidString.lowercased() }
        if ["common", "organizations", "consumers"].contains(text.lowercased()) {
            throw ServiceError(.invalid, "must name one tenant (its id or domain), not \"\(text)\": the app signs in to this tenant only", field: "entra_tenant_id")
        }
        do {
            return try Validation.domain(text, field: "entra_tenant_id")
        } catch {
            throw ServiceError(.invalid, "must be the Entra tenant id (a GUID) or a domain such as contoso.onmicrosoft.com", field: "entra_tenant_id")
        }
    }
}
