import Foundation
import Logging
import Platform
import Postgres
import ServiceLifecycle

/// The pools and the platform one process of Rapport works with, opened from its settings.
///
/// The pools are services (`services`): a long-running process puts them first in
/// its service group so that they shut down last; a one-shot command calls `shutdown()`.
public struct AppRuntime: Sendable {
    public let databases: DatabaseSet
    public var services: AppServices
    public let logger: Logger

    public var platform: Platform { services.platform }

    /// Opens the pools of the configured (or local) databases; nothing is migrated yet.
    public static func open(_ settings: AppSettings, logger: Logger) async throws -> AppRuntime {
        // Metrics first: the pools create their gauges and counters when they are made.
        _ = AdminApplication.metricsRegistry
        let databases = try await settings.resolveDatabases()
        let control = TenantStore(
            pool: PostgresPool(.init(connectionString: databases.control, maximumConnections: settings.poolSize, name: "control"), logger: logger))
        let regions = RegionDatabases(databases, maximumConnections: settings.poolSize, logger: logger)
        var platform = Platform(
            control: control, regions: regions, serviceSecret: try settings.resolveSecret(), publicBaseURL: settings.publicBaseURL,
            firstRunDelay: settings.firstRunDelayHours * 3600)
        platform.graph = settings.graph
        platform.dataverse = settings.dataverse
        platform.webhooksAllowHTTP = settings.webhooksAllowHTTP
        let services = AppServices(platform: platform, maximumBodyBytes: settings.maximumBodyBytes)
        return AppRuntime(databases: databases, services: services, logger: logger)
    }

    /// Every pool, as services that close their connections when the group shuts down.
    public var pools: [any Service] {
        [platform.control.pool] + platform.regions.byRegion.keys.sorted().compactMap { platform.regions.byRegion[$0]?.pool }
    }

    /// Applies pending migrations, then checks each region database serves its region.
    public func migrate() async throws {
        let migrations = SchemaMigrations(sqlFolder: try SchemaMigrations.locateSQLFolder(), logger: logger)
        _ = try await migrations.migrateAll(databases)
        for database in platform.regions.byRegion.values { try await database.verifyIdentity() }
    }

    /// Closes every pool (for a command that runs no service group).
    public func shutdown() async {
        await platform.control.pool.shutdown()
        await platform.regions.shutdown()
    }
}
