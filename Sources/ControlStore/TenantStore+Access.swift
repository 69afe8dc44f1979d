import Engagement
import Foundation
import Postgres

extension TenantStore {
    // MARK: - Operators

    /// Creates a platform operator and its first key; returns the key's plaintext (shown once).
    public func createOperator(name: String) async throws -> (operatorID: UUID, key: APIKey) {
        let name = try Validation.name(name, field: "name")
        let id = UUID()
        let key = APIKey.generate(.operator)
        try await pool.withTransaction { connection in
            do {
                try await connection.execute("INSERT INTO operator (operator_id, name) VALUES (\(id), \(name))")
            } catch let error as PostgresError where error.isUniqueViolation {
                throw ServiceError(.conflict, "an operator named \"\(name)\" exists", field: "name")
            }
            try await connection.execute(
                """
                INSERT INTO operator_key (key_id, operator_id, prefix, secret_hash, name)
                VALUES (\(UUID()), \(id), \(key.prefix), \(Data(key.hash)), \("initial"))
                """)
        }
        return (id, key)
    }

    /// Finds an operator by name, creating it when missing (operator commands act as it).
    public func localOperator(named name: String) async throws -> UUID {
        let rows = try await pool.query("SELECT operator_id FROM operator WHERE name = \(name)")
        if let row = rows.first { return try row.decode(UUID.self, at: 0) }
        return try await createOperator(name: name).operatorID
    }

    // MARK: - Principals

    public func createPrincipal(tenant: UUID, displayName: String, email: String?, by caller: Caller) async throws -> Principal {
        let name = try Validation.name(displayName, field: "display_name")
        let address = try email.map { try Validation.email($0, field: "email") }
        let principal = Principal(id: UUID(), tenantID: tenant, displayName: name, email: address, createdAt: now())
        try await pool.withTransaction { connection in
            try await requireTenant(connection, tenant)
            do {
                try await connection.execute(
                    """
                    INSERT INTO principal (tenant_id, principal_id, display_name, email, created_at)
                    VALUES (\(tenant), \(principal.id), \(name), \(address), \(principal.createdAt))
                    """)
            } catch let error as PostgresError where error.isUniqueViolation {
                throw ServiceError(.conflict, "a principal with this email exists", field: "email")
            }
            try await audit(
                connection, tenant: tenant, caller: caller, action: "principal.create", target: "principal/\(principal.id)",
                details: ["display_name": name])
        }
        return principal
    }

    public func principals(tenant: UUID) async throws -> [Principal] {
        try await pool.query(
            "SELECT \(Principal.columns) FROM principal WHERE tenant_id = \(tenant) ORDER BY created_at, display_name"
        ).map(Principal.init(row:))
    }

    // MARK: - Roles

    public func assignRole(
        tenant: UUID, principal: UUID, role: Role, environment: UUID?, notifyEmail: String?, by caller: Caller
    ) async throws -> RoleAssignment {
        if role.isTenantRole, environment != nil {
            throw ServiceError(.invalid, "\(role.rawValue) is a tenant role and takes no environment", field: "environment_id")
        }
        if !role.isTenantRole, environment == nil {
            throw ServiceError(.invalid, "\(role.rawValue) is held on an environment", field: "environment_id")
        }
        var address: String?
        if role == .o365Admin {
            guard let notifyEmail else {
                throw ServiceError(.invalid, "the Office 365 administrator needs the address consent requests go to", field: "notify_email")
            }
            address = try Validation.email(notifyEmail, field: "notify_email")
        } else if notifyEmail != nil {
            throw ServiceError(.invalid, "only the o365_admin role takes a notify_email", field: "notify_email")
        }
        let assignment = RoleAssignment(
            id: UUID(), principalID: principal, role: role, environmentID: environment, notifyEmail: address, createdAt: now())
        try await pool.withTransaction { connection in
            let known = try await connection.query(
                "SELECT 1 FROM principal WHERE tenant_id = \(tenant) AND principal_id = \(principal)")
            guard !known.isEmpty else { throw ServiceError(.notFound, "principal not found", field: "principal_id") }
            if let environment {
                let exists = try await connection.query(
                    "SELECT 1 FROM environment WHERE tenant_id = \(tenant) AND environment_id = \(environment)")
                guard !exists.isEmpty else { throw ServiceError(.notFound, "environment not found", field: "environment_id") }
            }
            do {
                try await connection.execute(
                    """
                    INSERT INTO role_assignment (tenant_id, assignment_id, principal_id, role, environment_id, notify_email, created_at)
                    VALUES (\(tenant), \(assignment.id), \(principal), \(role.rawValue), \(environment), \(address), \(assignment.createdAt))
                    """)
            } catch let error as PostgresError where error.isUniqueViolation {
                throw ServiceError(.conflict, "the principal already holds this role", field: "role")
            }
            try await audit(
                connection, tenant: tenant, caller: caller, action: "role.assign", target: "principal/\(principal)",
                details: ["role": role.rawValue, "environment_id": environment?.uuidString.lowercased() ?? ""])
        }
        return assignment
    }

    public func roleAssignments(tenant: UUID) async throws -> [RoleAssignment] {
        try await pool.query(
            "SELECT \(RoleAssignment.columns) FROM role_assignment WHERE tenant_id = \(tenant) ORDER BY created_at"
        ).map(RoleAssignment.init(row:))
    }

    public func removeRoleAssignment(tenant: UUID, id: UUID, by caller: Caller) async throws {
        try await pool.withTransaction { connection in
            let removed = try await connection.query(
                "DELETE FROM role_assignment WHERE tenant_id = \(tenant) AND assignment_id = \(id) RETURNING principal_id, role")
            guard let row = removed.first else { throw ServiceError.notFound("role assignment") }
            let (principal, role) = try row.decode((UUID, String).self)
            try await audit(
                connection, tenant: tenant, caller: caller, action: "role.remove", target: "principal/\(principal)",
                details: ["role": role])
        }
    }

    // MARK: - Keys

    /// Creates a key for a principal; the returned `APIKey` is the only time its secret is seen.
    public func createKey(tenant: UUID, principal: UUID, name: String, by caller: Caller) async throws -> (KeyRecord, APIKey) {
        let name = try Validation.name(name, field: "name")
        let key = APIKey.generate(.tenant)
        let record = KeyRecord(id: UUID(), principalID: principal, name: name, prefix: key.prefix, createdAt: now())
        try await pool.withTransaction { connection in
            let known = try await connection.query(
                "SELECT 1 FROM principal WHERE tenant_id = \(tenant) AND principal_id = \(principal)")
            guard !known.isEmpty else { throw ServiceError(.notFound, "principal not found", field: "principal_id") }
            try await connection.execute(
                """
                INSERT INTO api_key (tenant_id, key_id, principal_id, prefix, secret_hash, name, created_at)
                VALUES (\(tenant), \(record.id), \(principal), \(key.prefix), \(Data(key.hash)), \(name), \(record.createdAt))
                """)
            try await audit(
                connection, tenant: tenant, caller: caller, action: "key.create", target: "key/\(record.id)",
                details: ["principal_id": principal.uuidString.lowercased(), "prefix": key.prefix, "name": name])
        }
        return (record, key)
    }

    public func keys(tenant: UUID) async throws -> [KeyRecord] {
        try await pool.query(
            "SELECT \(KeyRecord.columns) FROM api_key WHERE tenant_id = \(tenant) ORDER BY created_at"
        ).map(KeyRecord.init(row:))
    }

    public func revokeKey(tenant: UUID, id: UUID, by caller: Caller) async throws {
        try await pool.withTransaction { connection in
            let revoked = try await connection.execute(
                "UPDATE api_key SET revoked_at = \(now()) WHERE tenant_id = \(tenant) AND key_id = \(id) AND revoked_at IS NULL")
            guard revoked == 1 else { throw ServiceError.notFound("active key") }
            try await audit(connection, tenant: tenant, caller: caller, action: "key.revoke", target: "key/\(id)")
        }
    }

    /// The caller a presented key stands for; `.unauthenticated` for an unknown, wrong or revoked key.
    ///
    /// Use of a tenant key is recorded at most once a minute per key (`last_used_at` and an audit
    /// event), so the log shows which keys are in use without a write per request.
    public func authenticate(_ presented: String) async throws -> Caller {
        let rejected = ServiceError(.unauthenticated, "a valid API key is required (Authorization: Bearer <key>)")
        guard let key = APIKey(parsing: presented) else { throw rejected }
        switch key.kind {
        case .operator:
            let rows = try await pool.query(
                "SELECT key_id, operator_id, secret_hash, revoked_at IS NOT NULL FROM operator_key WHERE prefix = \(key.prefix)")
            guard let row = rows.first else { throw rejected }
            let (keyID, operatorID, hash, revoked) = try row.decode((UUID, UUID, Data, Bool).self)
            guard key.matches(Array(hash)), !revoked else { throw rejected }
            try await pool.query("UPDATE operator_key SET last_used_at = \(now()) WHERE key_id = \(keyID)")
            return Caller(identity: .operator(operatorID: operatorID), keyID: keyID, roles: [])
        case .tenant:
            let rows = try await pool.query(
                """
                SELECT tenant_id, key_id, principal_id, secret_hash, revoked_at IS NOT NULL,
                       last_used_at IS NULL OR last_used_at < \(now().addingTimeInterval(-60))
                FROM api_key WHERE prefix = \(key.prefix)
                """)
            guard let row = rows.first else { throw rejected }
            let (tenant, keyID, principal, hash, revoked, recordUse) = try row.decode((UUID, UUID, UUID, Data, Bool, Bool).self)
            guard key.matches(Array(hash)), !revoked else { throw rejected }
            let roles = try await roleGrants(tenant: tenant, principal: principal)
            let caller = Caller(identity: .principal(tenantID: tenant, principalID: principal), keyID: keyID, roles: roles)
            // A read stays a read: the use is written at most once a minute per key (a write on every
            // request would serialize concurrent requests of one key on its row and flush WAL for each).
            if recordUse {
                try await pool.withTransaction { connection in
                    try await connection.execute("UPDATE api_key SET last_used_at = \(now()) WHERE tenant_id = \(tenant) AND key_id = \(keyID)")
                    try await audit(connection, tenant: tenant, caller: caller, action: "key.use", target: "key/\(keyID)")
                }
            }
            return caller
        }
    }

    /// The caller behind a page session: the tenant key with this prefix, unless it was revoked.
    /// Opens a page session for a valid tenant key; returns its id. Sessions long expired are swept here.
    public func openSession(key presented: String, lifetime: TimeInterval) async throws -> (id: UUID, expiresAt: Date) {
        let caller = try await authenticate(presented)
        guard let tenant = caller.tenantID else { throw ServiceError(.unauthenticated, "pages are for tenant keys") }
        let moment = now()
        let id = UUID()
        let expiresAt = moment.addingTimeInterval(lifetime)
        try await pool.withTransaction { connection in
            try await connection.execute("DELETE FROM page_session WHERE expires_at < \(moment.addingTimeInterval(-86_400))")
            try await connection.execute(
                """
                INSERT INTO page_session (tenant_id, session_id, key_id, created_at, expires_at)
                VALUES (\(tenant), \(id), \(caller.keyID), \(moment), \(expiresAt))
                """)
        }
        return (id, expiresAt)
    }

    /// The caller of an open page session; `.unauthenticated` once it ended, expired, or its key was revoked.
    public func sessionCaller(session: UUID) async throws -> Caller {
        let rows = try await pool.query(
            """
            SELECT k.tenant_id, k.key_id, k.principal_id FROM page_session s
            JOIN api_key k ON k.tenant_id = s.tenant_id AND k.key_id = s.key_id
            WHERE s.session_id = \(session) AND s.ended_at IS NULL AND s.expires_at > \(now()) AND k.revoked_at IS NULL
            """)
        guard let row = rows.first else { throw ServiceError(.unauthenticated, "the session ended; sign in again") }
        let (tenant, keyID, principal) = try row.decode((UUID, UUID, UUID).self)
        let roles = try await roleGrants(tenant: tenant, principal: principal)
        return Caller(identity: .principal(tenantID: tenant, principalID: principal), keyID: keyID, roles: roles)
    }

    /// The roles a principal holds, as its caller carries them.
    private func roleGrants(tenant: UUID, principal: UUID) async throws -> [RoleGrant] {
        try await pool.query(
            "SELECT \(RoleGrant.columns) FROM role_assignment WHERE tenant_id = \(tenant) AND principal_id = \(principal)"
        ).map(RoleGrant.init(row:))
    }

    /// Ends a page session (sign-out): its cookie stops working on every server at once.
    public func endSession(_ session: UUID) async throws {
        try await pool.query("UPDATE page_session SET ended_at = \(now()) WHERE session_id = \(session) AND ended_at IS NULL")
    }

    // MARK: - Audit

    /// A page of the tenant's audit log, oldest first, after event `after`.
    public func auditEvents(tenant: UUID, after: Int, limit: Int) async throws -> [AuditEvent] {
        try await pool.query(
            "SELECT \(AuditEvent.columns) FROM audit_event WHERE tenant_id = \(tenant) AND event_id > \(after) ORDER BY event_id LIMIT \(limit)"
        ).map(AuditEvent.init(row:))
    }
}

