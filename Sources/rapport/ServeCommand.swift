import AdminAPI
import ArgumentParser
import Configuration
import Connectors
import Foundation
import Logging
import Mail
import Platform
import Worker

/// `rapport serve`: the admin API and the pages, the scheduler and the mail outbox.
///
/// Webhook deliveries are sent by the region workers, which already speak HTTP to the outside.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the admin API, the pages, the scheduler and the outbox; migrations run before it listens.")

    @Option(help: "Address to listen on (http.host, default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (http.port, default 8080).") var port: Int?
    @Option(help: "A JSON configuration file (RAPPORT_CONFIG_FILE).") var config: String?

    func run() async throws {
        let settings = try await AppSettings.loadOrFail(host: host, port: port, configFile: config)
        let logger = Logger(label: "rapport", level: settings.logLevel)
        var runtime = try await AppRuntime.open(settings, logger: logger)
        // The prerequisite checklist asks attached Dataverse organizations whether the app may write there.
        let dataverse = DataverseConnector(platform: runtime.platform, logger: logger)
        runtime.services.platform.dataverseProbe = dataverse
        let platform = runtime.platform
        let scheduler = SchedulerService(
            scheduler: EnrichmentScheduler(platform: platform), interval: .seconds(settings.schedulerInterval), logger: logger)
        let sender = OutboxSender(
            platform: platform,
            smtp: SMTPConfiguration(
                host: settings.smtp.host, port: settings.smtp.port, from: settings.smtp.from,
                username: settings.smtp.username, password: settings.smtp.password),
            logger: logger)
        let app = AdminApplication.build(runtime: runtime, settings: settings, services: [scheduler, sender, dataverse], logger: logger)
        try await app.runService()
    }
}

extension AppSettings {
    /// The settings with `--host`, `--port` and `--config` applied; a problem is one line and exit status 2.
    static func loadOrFail(host: String? = nil, port: Int? = nil, configFile: String? = nil) async throws -> AppSettings {
        var flags: [AbsoluteConfigKey: ConfigValue] = [:]
        if let host { flags["http.host"] = ConfigValue(.string(host), isSecret: false) }
        if let port { flags["http.port"] = ConfigValue(.int(port), isSecret: false) }
        do {
            return try await AppSettings.load(flags: flags, configFile: configFile)
        } catch let failure as SettingsError {
            fail(failure.description)
        }
    }
}
