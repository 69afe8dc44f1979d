import Engagement
import Foundation
import Logging
import Postgres

/// One region's database: its pool, and transactions bound to one tenant.
///
/// `withTenant` runs its body in a transaction as the role `rapport_region_app`
/// with `rapport.tenant_id` set, so row-level security hides every other
/// tenant's rows even from a query that forgets its tenant filter.
public struct RegionDatabase: Sendable {
    public let region: Region
    public let pool: PostgresPool
    /// How many of the pool's connections one tenant may hold at once.
    public let share: TenantShare

    public init(region: Region, pool: PostgresPool, share: TenantShare? = nil) {
        self.region = region
        self.pool = pool
        self.share = share ?? TenantShare(limit: Self.defaultShare(of: pool.configuration.maximumConnections))
    }

    /// Three quarters of the pool (at least one): the rest stays free for the region's other tenants.
    public static func defaultShare(of poolSize: Int) -> Int {
        max(1, poolSize * 3 / 4)
    }

    /// Runs `body` in a transaction scoped to `tenant` by row-level security.
    ///
    /// `snapshot: true` makes it a read-only REPEATABLE READ transaction: every
    /// statement sees the same snapshot, so a reader that looks up the current
    /// run and then reads its rows never sees a publish happen in between.
    public func withTenant<Result>(
        _ tenant: UUID,
        snapshot: Bool = false,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let timeout = StatementBudget.current.map { String(StatementBudget.milliseconds($0)) } ?? ""
        return try await share.withShare(tenant) {
            try await pool.withTransaction { connection in
                if snapshot {
                    try await connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                }
                try await connection.query(
                    """
                    SELECT set_config('role', 'rapport_region_app', true), set_config('rapport.tenant_id', \(tenant.uuidString.lowercased()), true),
                           CASE WHEN \(timeout) <> '' THEN set_config('statement_timeout', \(timeout), true) END
                    """)
                return try await body(connection)
            }
        }
    }

    /// The environment variable that names a region's database URL (`RAPPORT_EU_DATABASE_URL`).
    public static func urlKey(of region: Region) -> String { "RAPPORT_\(region.rawValue.uppercased())_DATABASE_URL" }

    /// Checks that the database is stamped for this region (`rapport migrate` stamps it).
    public func verifyIdentity() async throws {
        let rows = try await pool.query("SELECT code FROM region_identity")
        let code = try rows.first(decoding: String.self)
        guard code == region.rawValue else {
            throw PostgresError(
                code: .migration,
                message: "the database configured for region \(region.rawValue) serves \(code ?? "no region (not migrated)"); check \(Self.urlKey(of: region))")
        }
    }
}

/// The pools of every region's database, by region.
public struct RegionDatabases: Sendable {
    public let byRegion: [Region: RegionDatabase]

    public init(urls: [Region: String], maximumConnections: Int = 10, logger: Logger = Logger(label: "rapport.region")) {
        var byRegion: [Region: RegionDatabase] = [:]
        for (region, url) in urls {
            byRegion[region] = RegionDatabase(
                region: region,
                pool: PostgresPool(
                    .init(connectionString: url, maximumConnections: maximumConnections, name: region.rawValue),
                    logger: logger))
        }
        self.byRegion = byRegion
    }

    /// The database of `region`; every region is configured, so this only fails on misconfiguration.
    public func database(for region: Region) throws -> RegionDatabase {
        guard let database = byRegion[region] else {
            throw PostgresError(code: .connectionFailed, message: "no database is configured for region \(region.rawValue)")
        }
        return database
    }

    public func shutdown() async {
        for database in byRegion.values { await database.pool.shutdown() }
    }
}
