import Foundation
import Postgres

/// One environment's slice of its region's database: the stores built on it need no tenant or environment argument.
///
/// Every transaction runs `withTenant(tenant)` (row-level security), and every
/// statement of the stores filters by `environment`. `Platform` hands these out
/// through its `EnvironmentScope`, for environments it has looked up itself.
public struct EnvironmentDatabase: Sendable {
    public let database: RegionDatabase
    public let tenant: UUID
    public let environment: UUID

    public init(database: RegionDatabase, tenant: UUID, environment: UUID) {
        self.database = database
        self.tenant = tenant
        self.environment = environment
    }

    /// Runs `body` in a transaction of the environment's tenant (see `RegionDatabase.withTenant`).
    public func transaction<Result>(
        snapshot: Bool = false, isolation: isolated (any Actor)? = #isolation, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await database.withTenant(tenant, snapshot: snapshot, body)
    }
}
