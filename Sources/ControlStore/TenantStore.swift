import Engagement
import Foundation
import Logging
import Postgres

/// The control database: tenants, environments, licences, principals, roles, keys, audit.
///
/// Every change writes its audit event in the same transaction. Reads and
/// writes of a tenant's objects take the tenant id first; an object of
/// another tenant is simply not found.
public struct TenantStore: Sendable {
    public let pool: PostgresPool
    /// The clock of everything stamped or compared with stored times (tests move it).
    public let now: @Sendable () -> Date

    public init(pool: PostgresPool, now: @escaping @Sendable () -> Date = { Date() }) {
        self.pool = pool
        self.now = now
    }

    // MARK: - Tenants

    public func createTenant(name: String, emailDomains: [String], by caller: Caller) async throws -> Tenant {
        let name = try Validation.name(name, field: "name")
        guard !emailDomains.isEmpty else {
            throw ServiceError(.invalid, "at least one email domain is required", field: "email_domains")
        }
        var domains: [String] = []
        for (index, domain) in emailDomains.enumerated() {
            let normalized = try Validation.domain(domain, field: "email_domains[\(index)]")
            if !domains.contains(normalized) { domains.append(normalized) }
        }
        let tenant = Tenant(id: UUID(), name: name, emailDomains: domains, createdAt: now())
        try await pool.withTransaction { connection in
            do {
                try await connection.execute(
                    "INSERT INTO tenant (tenant_id, name, email_domains, created_at) VALUES (\(tenant.id), \(name), \(domains), \(tenant.createdAt))")
            } catch let error as PostgresError where error.isUniqueViolation {
                throw ServiceError(.conflict, "a tenant named \"\(name)\" exists", field: "name")
            }
            try await audit(connection, tenant: tenant.id, caller: caller, action: "tenant.create", target: "tenant/\(tenant.id)", details: ["name": name])
        }
        return tenant
    }

    public func listTenants() async throws -> [Tenant] {
        try await pool.query("SELECT \(Tenant.columns) FROM tenant ORDER BY created_at, name").map(Tenant.init(row:))
    }

    public func tenant(_ id: UUID) async throws -> Tenant {
        let rows = try await pool.query("SELECT \(Tenant.columns) FROM tenant WHERE tenant_id = \(id)")
        guard let row = rows.first else { throw ServiceError.notFound("tenant") }
        return try Tenant(row: row)
    }

    /// Finds a tenant by id or by its (case-insensitive) name, for the operator commands.
    public func findTenant(_ reference: String) async throws -> Tenant {
        if let id = UUID(uuidString: reference) { return try await tenant(id) }
        let rows = try await pool.query(
            "SELECT \(Tenant.columns) FROM tenant WHERE lower(name) = lower(\(reference))")
        guard let row = rows.first else { throw ServiceError.notFound("tenant \"\(reference)\"") }
        return try Tenant(row: row)
    }

    // MARK: - Licence

    public func setLicence(
        tenant: UUID, status: Licence.Status, seats: Int, expiresOn: Date, by caller: Caller
    ) async throws -> Licence {
        guard seats > 0 else { throw ServiceError(.invalid, "must be at least 1", field: "seats") }
        guard seats <= 10_000_000 else { throw ServiceError(.invalid, "is implausibly large", field: "seats") }
        let day = Calendar.utc.startOfDay(for: expiresOn)
        let licence = Licence(status: status, seats: seats, expiresOn: day, updatedAt: now())
        try await pool.withTransaction { connection in
            try await requireTenant(connection, tenant)
            try await connection.execute(
                """
                INSERT INTO licence (tenant_id, status, seats, expires_on, updated_at)
                VALUES (\(tenant), \(status.rawValue), \(seats), \(day)::date, \(licence.updatedAt))
                ON CONFLICT (tenant_id) DO UPDATE SET status = excluded.status, seats = excluded.seats,
                    expires_on = excluded.expires_on, updated_at = excluded.updated_at
                """)
            try await audit(
                connection, tenant: tenant, caller: caller, action: "licence.set", target: "tenant/\(tenant)/licence",
                details: ["status": status.rawValue, "seats": "\(seats)", "expires_on": Self.dayText(day)])
        }
        return licence
    }

    public func licence(tenant: UUID) async throws -> Licence? {
        let rows = try await pool.query("SELECT \(Licence.columns) FROM licence WHERE tenant_id = \(tenant)")
        return try rows.first.map(Licence.init(row:))
    }

    // MARK: - Shared helpers

    func requireTenant(_ connection: PostgresConnection, _ tenant: UUID) async throws {
        let rows = try await connection.query("SELECT 1 FROM tenant WHERE tenant_id = \(tenant)")
        guard !rows.isEmpty else { throw ServiceError.notFound("tenant") }
    }

    /// Appends an audit event inside the caller's transaction.
    public func audit(
        _ connection: PostgresConnection, tenant: UUID, caller: Caller, action: String, target: String,
        details: [String: String] = [:]
    ) async throws {
        try await connection.execute(
            """
            INSERT INTO audit_event (tenant_id, at, actor_principal_id, actor_operator_id, key_id, action, target, details)
            VALUES (\(tenant), \(now()), \(caller.principalID), \(caller.operatorID), \(caller.keyID == Caller.systemKeyID ? nil : caller.keyID),
                    \(action), \(target), \(PostgresJSON(details)))
            """)
    }

    public static func dayText(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.calendar = Calendar.utc
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}

extension Caller {
    /// The key id recorded for changes made by operator commands on the machine itself.
    public static let systemKeyID = UUID(uuidString: "00000000-0000-0000-0000-000000000000")!

    /// An operator acting through `rapport` commands on the machine, without a key.
    public static func localOperator(_ operatorID: UUID) -> Caller {
        Caller(identity: .operator(operatorID: operatorID), keyID: systemKeyID, roles: [])
    }
}
