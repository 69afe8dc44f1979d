import AdminAPI
import ArgumentParser
import Configuration
import Foundation
import Hummingbird
import Logging
import Mail
import Postgres
import ServiceLifecycle
import Platform
import Worker

/// `rapport serve`: the admin API (and, later, the pages and the scheduler).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the admin API; migrations run before it listens.")

    @Option(help: "Address to listen on (http.host, default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (http.port, default 8080).") var port: Int?
    @Option(help: "A JSON configuration file (RAPPORT_CONFIG_FILE).") var config: String?

    func run() async throws {
        var flags: [AbsoluteConfigKey: ConfigValue] = [:]
        if let host { flags["http.host"] = ConfigValue(.string(host), isSecret: false) }
        if let port { flags["http.port"] = ConfigValue(.int(port), isSecret: false) }
        let settings: ServiceSettings
        do {
            settings = try await ServiceSettings.load(flags: flags, configFile: config)
        } catch let failure as ValidationFailure {
            fail(failure.description)
        }
        let logger = Logger(label: "rapport", level: settings.logLevel)
        let runtime = try await ServiceRuntime.start(settings, logger: logger)
        var app = AdminApplication.build(runtime.services, host: settings.host, port: settings.port, options: settings.http, logger: logger)
        app.beforeServerStarts {
            try await runtime.migrate()
            logger.info("listening", metadata: ["address": "http://\(settings.host):\(settings.port)"])
        }
        let platform = runtime.services.platform
        let scheduler = SchedulerService(
            scheduler: EnrichmentScheduler(platform: platform), interval: .seconds(settings.schedulerInterval), logger: logger)
        let sender = OutboxSender(
            platform: platform,
            smtp: SMTPConfiguration(
                host: settings.smtp.host, port: settings.smtp.port, from: settings.smtp.from,
                username: settings.smtp.username, password: settings.smtp.password),
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: app), .init(service: scheduler), .init(service: sender)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await runtime.shutdown()
    }
}

extension Logger {
    init(label: String, level: Logger.Level) {
        self.init(label: label)
        logLevel = level
    }
}

/// The pools and stores one process works with.
struct ServiceRuntime: Sendable {
    let databases: DatabaseSet
    let services: AppServices
    let logger: Logger

    static func start(_ settings: ServiceSettings, logger: Logger) async throws -> ServiceRuntime {
        // Metrics first: the pools create their gauges and counters when they are made.
        _ = AdminApplication.metricsRegistry
        let databases = try await settings.resolveDatabases()
        let control = TenantStore(
            pool: PostgresPool(.init(connectionString: databases.control, maximumConnections: settings.poolSize, name: "control"), logger: logger))
        let regions = RegionDatabases(databases, maximumConnections: settings.poolSize, logger: logger)
        var platform = Platform(
            control: control, regions: regions, serviceSecret: try settings.resolveSecret(), publicBaseURL: settings.publicBaseURL,
            firstRunDelay: settings.firstRunDelayHours * 3600)
        platform.graph = settings.graph  // issue 8: Microsoft Graph settings
        let services = AppServices(platform: platform, maximumBodyBytes: settings.maximumBodyBytes)
        return ServiceRuntime(databases: databases, services: services, logger: logger)
    }

    /// Applies pending migrations, then checks each region database serves its region.
    func migrate() async throws {
        let migrations = SchemaMigrations(sqlFolder: try SchemaMigrations.locateSQLFolder(), logger: logger)
        _ = try await migrations.migrateAll(databases)
        for database in services.platform.regions.byRegion.values { try await database.verifyIdentity() }
    }

    func shutdown() async {
        await services.platform.control.pool.shutdown()
        await services.platform.regions.shutdown()
    }
}
