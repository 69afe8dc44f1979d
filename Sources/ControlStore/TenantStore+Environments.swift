import Engagement
import Foundation
import Postgres

extension TenantStore {
    public func createEnvironment(
        tenant: UUID, name: String, region: Region, profileType: Environment.ProfileType, by caller: Caller
    ) async throws -> Environment {
        let name = try Validation.name(name, field: "name")
        let environment = Environment(
            id: UUID(), tenantID: tenant, name: name, region: region, profileType: profileType, createdAt: now())
        try await pool.withTransaction { connection in
            try await requireTenant(connection, tenant)
            do {
                try await connection.execute(
                    """
                    INSERT INTO environment (tenant_id, environment_id, name, region, profile_type, created_at)
                    VALUES (\(tenant), \(environment.id), \(name), \(region.rawValue), \(profileType.rawValue), \(environment.createdAt))
                    """)
            } catch let error as PostgresError where error.isUniqueViolation {
                throw ServiceError(.conflict, "an environment named \"\(name)\" exists", field: "name")
            }
            try await audit(
                connection, tenant: tenant, caller: caller, action: "environment.create",
                target: "environment/\(environment.id)", details: ["name": name, "region": region.rawValue])
        }
        return environment
    }

    public func environments(tenant: UUID) async throws -> [Environment] {
        try await pool.query(
            "SELECT \(Environment.columns) FROM environment WHERE tenant_id = \(tenant) ORDER BY created_at, name"
        ).map(Environment.init(row:))
    }

    public func environment(tenant: UUID, id: UUID) async throws -> Environment {
        let rows = try await pool.query(
            "SELECT \(Environment.columns) FROM environment WHERE tenant_id = \(tenant) AND environment_id = \(id)")
        guard let row = rows.first else { throw ServiceError.notFound("environment") }
        return try Environment(row: row)
    }

    /// Finds an environment by id or name within a tenant, for the operator commands.
    public func findEnvironment(tenant: UUID, _ reference: String) async throws -> Environment {
        if let id = UUID(uuidString: reference) { return try await environment(tenant: tenant, id: id) }
        let rows = try await pool.query(
            "SELECT \(Environment.columns) FROM environment WHERE tenant_id = \(tenant) AND lower(name) = lower(\(reference))")
        guard let row = rows.first else { throw ServiceError.notFound("environment \"\(reference)\"") }
        return try Environment(row: row)
    }

    public func renameEnvironment(tenant: UUID, id: UUID, name: String, by caller: Caller) async throws -> Environment {
        let name = try Validation.name(name, field: "name")
        try await pool.withTransaction { connection in
            let updated: Int
            do {
                updated = try await connection.execute(
                    "UPDATE environment SET name = \(name) WHERE tenant_id = \(tenant) AND environment_id = \(id)")
            } catch let error as PostgresError where error.isUniqueViolation {
                throw ServiceError(.conflict, "an environment named \"\(name)\" exists", field: "name")
            }
            guard updated == 1 else { throw ServiceError.notFound("environment") }
            try await audit(
                connection, tenant: tenant, caller: caller, action: "environment.rename",
                target: "environment/\(id)", details: ["name": name])
        }
        return try await environment(tenant: tenant, id: id)
    }

    // MARK: - Dataverse

    /// Attaches a Dataverse organization, replacing (and keeping in history) the current one.
    public func attachDataverse(
        tenant: UUID, environment: UUID, organizationURL: String, organizationID: UUID, by caller: Caller
    ) async throws -> DataverseAttachment {
        let organization = try DataverseOrganizationURL(organizationURL)
        let url = organization.resource
        let moment = now()
        try await pool.withTransaction { connection in
            let locked = try await lockEnvironment(connection, tenant: tenant, environment: environment)
            // Data residency: the organization's geography must be the environment's region.
            try organization.requireRegion(locked.region)
            let replaced = try await connection.execute(
                """
                UPDATE dataverse_attachment SET detached_at = \(moment), detached_by = \(caller.principalID)
                WHERE tenant_id = \(tenant) AND environment_id = \(environment) AND detached_at IS NULL
                """)
            try await connection.execute(
                """
                INSERT INTO dataverse_attachment (tenant_id, environment_id, organization_url, organization_id, geography, attached_at, attached_by)
                VALUES (\(tenant), \(environment), \(url), \(organizationID), \(organization.geography), \(moment), \(caller.principalID))
                """)
            try await audit(
                connection, tenant: tenant, caller: caller, action: replaced > 0 ? "dataverse.replace" : "dataverse.attach",
                target: "environment/\(environment)/dataverse",
                details: ["organization_url": url, "organization_id": organizationID.uuidString.lowercased()])
        }
        return DataverseAttachment(
            organizationURL: url, organizationID: organizationID, geography: organization.geography, attachedAt: moment,
            attachedBy: caller.principalID)
    }

    /// Detaches the current Dataverse organization; not found when none is attached.
    public func detachDataverse(tenant: UUID, environment: UUID, by caller: Caller) async throws {
        try await pool.withTransaction { connection in
            _ = try await lockEnvironment(connection, tenant: tenant, environment: environment)
            let detached = try await connection.execute(
                """
                UPDATE dataverse_attachment SET detached_at = \(now()), detached_by = \(caller.principalID)
                WHERE tenant_id = \(tenant) AND environment_id = \(environment) AND detached_at IS NULL
                """)
            guard detached == 1 else { throw ServiceError.notFound("Dataverse attachment") }
            try await audit(
                connection, tenant: tenant, caller: caller, action: "dataverse.detach",
                target: "environment/\(environment)/dataverse")
        }
    }

    /// Every attachment of the environment, newest first; the current one has no `detachedAt`.
    public func dataverseHistory(tenant: UUID, environment: UUID) async throws -> [DataverseAttachment] {
        try await pool.query(
            """
            SELECT \(DataverseAttachment.columns) FROM dataverse_attachment
            WHERE tenant_id = \(tenant) AND environment_id = \(environment) ORDER BY attachment_id DESC
            """
        ).map(DataverseAttachment.init(row:))
    }

    /// Locks the environment row for the rest of the transaction; not found for another tenant's.
    func lockEnvironment(_ connection: PostgresConnection, tenant: UUID, environment: UUID) async throws -> Environment {
        let rows = try await connection.query(
            "SELECT \(Environment.columns) FROM environment WHERE tenant_id = \(tenant) AND environment_id = \(environment) FOR UPDATE")
        guard let row = rows.first else { throw ServiceError.notFound("environment") }
        return try Environment(row: row)
    }
}
