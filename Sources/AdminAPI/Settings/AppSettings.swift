import Configuration
import Engagement
import Foundation
import Logging
import Postgres
import Platform

/// Rapport's configuration, read through swift-configuration.
///
/// Sources, strongest first: command-line flags, the environment (`RAPPORT_` +
/// the key in upper case with `_` for `.`: `http.port` → `RAPPORT_HTTP_PORT`),
/// then a JSON file (`--config` or `RAPPORT_CONFIG_FILE`; keys nest:
/// `{"http": {"port": 8080}}`). Every key and its default is listed in the README.
public struct AppSettings: Sendable {
    public var host: String
    public var port: Int
    /// Configured database URLs; `nil` when none are set (the local cluster is used).
    public var databases: DatabaseSet?
    public var dataDirectory: URL
    /// `secret.key`: hex, at least 32 bytes; per-tenant address keys derive from it.
    public var secret: [UInt8]?
    public var maximumBodyBytes: Int
    public var poolSize: Int
    public var logLevel: Logger.Level
    /// Where links in emails point.
    public var publicBaseURL: String
    /// Hours from the consent grant to the first run.
    public var firstRunDelayHours: Double
    public var schedulerInterval: Int
    /// Cookies, trusted proxies, the idle timeout and the statement timeouts of requests.
    public var http: HTTPOptions
    /// `database.statement.timeout.runs.seconds`: the longest statement of a run (0: no limit).
    public var runStatementTimeout: Duration?
    public var smtp: SMTPSettings
    /// Microsoft Graph (`graph.*`, issue 8): hosts, limits, the key sealing client secrets.
    public var graph = GraphSettings()
    /// The Dataverse export (`dataverse.*`, issue 17): hosts, limits, batch size.
    public var dataverse = DataverseSettings()
    /// `webhook.allow.http`: webhooks may use http:// URLs (development only).
    public var webhooksAllowHTTP = false

    public static func load(flags: [AbsoluteConfigKey: ConfigValue] = [:], configFile: String? = nil) async throws -> AppSettings {
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "flags", values: flags),
            EnvironmentVariablesProvider(secretsSpecifier: .specific(["RAPPORT_SECRET_KEY", "RAPPORT_GRAPH_SECRET_KEY"])).prefixKeys(with: "rapport"),
        ]
        let file = configFile ?? ProcessInfo.processInfo.environment["RAPPORT_CONFIG_FILE"]
        if let file, !file.isEmpty {
            guard FileManager.default.fileExists(atPath: file) else {
                throw SettingsError("the configuration file \(file) does not exist")
            }
            let location = ConfigReader(provider: InMemoryProvider(values: ["filePath": ConfigValue(.string(file), isSecret: false)]))
            providers.append(try await FileProvider<JSONSnapshot>(config: location))
        }
        let config = ConfigReader(providers: providers)

        var urls: [String: String] = [:]
        if let control = config.string(forKey: "control.database.url", isSecret: true) { urls["RAPPORT_CONTROL_DATABASE_URL"] = control }
        for region in Region.allCases {
            if let url = config.string(forKey: ConfigKey("\(region.rawValue).database.url"), isSecret: true) {
                urls[DatabaseSet.urlKey(of: region)] = url
            }
        }
        let dataDirectory = config.string(forKey: "data.dir").map { URL(fileURLWithPath: $0).appendingPathComponent("postgres") }
            ?? LocalCluster.defaultDataDirectory()
        var secret: [UInt8]?
        if let text = config.string(forKey: "secret.key", isSecret: true) {
            guard let bytes = Self.hexBytes(text), bytes.count >= 32 else {
                throw SettingsError("secret.key (RAPPORT_SECRET_KEY) must be at least 64 hex digits (32 bytes)")
            }
            secret = bytes
        }
        let port = config.int(forKey: "http.port", default: 8080)
        guard (1...65_535).contains(port) else { throw SettingsError("http.port must be 1 to 65535, not \(port)") }
        let level = config.string(forKey: "log.level", default: "info")
        guard let logLevel = Logger.Level(rawValue: level) else {
            throw SettingsError("log.level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let host = config.string(forKey: "http.host", default: "127.0.0.1")
        let graph = try Self.graphSettings(config)
        var settings = AppSettings(
            host: host,
            port: port,
            databases: try DatabaseSet.configured(urls),
            dataDirectory: dataDirectory,
            secret: secret,
            maximumBodyBytes: config.int(forKey: "http.max.body.bytes", default: 1 << 20),
            poolSize: config.int(forKey: "database.pool.size", default: 10),
            logLevel: logLevel,
            publicBaseURL: config.string(forKey: "public.base.url", default: "http://\(host):\(port)"),
            firstRunDelayHours: config.double(forKey: "consent.first.run.delay.hours", default: 6),
            schedulerInterval: config.int(forKey: "scheduler.interval.seconds", default: 30),
            http: try Self.httpOptions(config),
            runStatementTimeout: try Self.seconds(config, "database.statement.timeout.runs.seconds", default: 3600),
            smtp: SMTPSettings(
                host: config.string(forKey: "smtp.host", default: "127.0.0.1"),
                port: config.int(forKey: "smtp.port", default: 25),
                from: config.string(forKey: "smtp.from", default: "rapport@localhost"),
                username: config.string(forKey: "smtp.username"),
                password: config.string(forKey: "smtp.password", isSecret: true)))
        settings.graph = graph
        settings.dataverse = try Self.dataverseSettings(config)
        settings.webhooksAllowHTTP = config.bool(forKey: "webhook.allow.http", default: false)
        return settings
    }

    /// The `http.*` and request `database.statement.timeout.*` settings.
    static func httpOptions(_ config: ConfigReader) throws -> HTTPOptions {
        var options = HTTPOptions()
        options.secureCookies = config.bool(forKey: "http.secure.cookies", default: false)
        options.trustedProxies = Set(
            config.string(forKey: "http.trusted.proxies", default: "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty })
        if let idle = try seconds(config, "http.idle.timeout.seconds", default: 30) { options.idleTimeout = idle }
        if let api = try seconds(config, "database.statement.timeout.api.seconds", default: 15) { options.apiStatementTimeout = api }
        if let pages = try seconds(config, "database.statement.timeout.pages.seconds", default: 15) { options.pageStatementTimeout = pages }
        if let bulk = try seconds(config, "database.statement.timeout.bulk.seconds", default: 600) { options.bulkStatementTimeout = bulk }
        return options
    }

    /// A whole number of seconds from 0 (nil: no limit) to a day.
    static func seconds(_ config: ConfigReader, _ key: String, default value: Int) throws -> Duration? {
        let seconds = config.int(forKey: ConfigKey(key), default: value)
        guard (0...86_400).contains(seconds) else { throw SettingsError("\(key) must be 0 (no limit) to 86400 seconds, not \(seconds)") }
        return seconds == 0 ? nil : .seconds(seconds)
    }

    /// The `graph.*` settings (issue 8); defaults in `GraphSettings` and docs/graph.md.
    static func graphSettings(_ config: ConfigReader) throws -> GraphSettings {
        var graph = GraphSettings()
        if let text = config.string(forKey: "graph.secret.key", isSecret: true) {
            guard let bytes = hexBytes(text), bytes.count == 32 else {
                throw SettingsError("graph.secret.key (RAPPORT_GRAPH_SECRET_KEY) must be 64 hex digits (32 bytes)")
            }
            graph.secretKey = bytes
        }
        graph.loginURL = config.string(forKey: "graph.login.url")
        graph.apiURL = config.string(forKey: "graph.api.url")
        graph.maximumConcurrency = config.int(forKey: "graph.max.concurrency", default: graph.maximumConcurrency)
        graph.pageSize = config.int(forKey: "graph.page.size", default: graph.pageSize)
        graph.maximumRetries = config.int(forKey: "graph.max.retries", default: graph.maximumRetries)
        graph.requestTimeout = .seconds(config.int(forKey: "graph.timeout.seconds", default: 60))
        graph.calendarHorizonDays = config.int(forKey: "graph.calendar.horizon.days", default: graph.calendarHorizonDays)
        guard (1...256).contains(graph.maximumConcurrency) else { throw SettingsError("graph.max.concurrency must be 1 to 256") }
        guard (1...1000).contains(graph.pageSize) else { throw SettingsError("graph.page.size must be 1 to 1000") }
        return graph
    }

    /// The `dataverse.*` settings (issue 17); defaults in `DataverseSettings` and the README.
    static func dataverseSettings(_ config: ConfigReader) throws -> DataverseSettings {
        var dataverse = DataverseSettings()
        dataverse.loginURL = config.string(forKey: "dataverse.login.url")
        dataverse.apiURL = config.string(forKey: "dataverse.api.url")
        dataverse.maximumConcurrency = config.int(forKey: "dataverse.max.concurrency", default: dataverse.maximumConcurrency)
        dataverse.batchSize = config.int(forKey: "dataverse.batch.size", default: dataverse.batchSize)
        dataverse.maximumRetries = config.int(forKey: "dataverse.max.retries", default: dataverse.maximumRetries)
        dataverse.requestTimeout = .seconds(config.int(forKey: "dataverse.timeout.seconds", default: 120))
        dataverse.keyActivationTimeout = .seconds(config.int(forKey: "dataverse.key.wait.seconds", default: 600))
        dataverse.publisherPrefix = config.string(forKey: "dataverse.publisher.prefix", default: dataverse.publisherPrefix)
        guard (1...52).contains(dataverse.maximumConcurrency) else {
            throw SettingsError("dataverse.max.concurrency must be 1 to 52 (Dataverse refuses more concurrent requests)")
        }
        guard (1...1000).contains(dataverse.batchSize) else { throw SettingsError("dataverse.batch.size must be 1 to 1000") }
        guard dataverse.publisherPrefix.range(of: "^[a-z][a-z0-9]{1,7}$", options: .regularExpression) != nil, !dataverse.publisherPrefix.hasPrefix("mscrm") else {
            throw SettingsError("dataverse.publisher.prefix must be 2 to 8 lowercase letters and digits, starting with a letter, not mscrm")
        }
        return dataverse
    }

    /// The same settings with only the control database and `region`'s database.
    public func restricted(to region: Region) -> AppSettings {
        var copy = self
        copy.onlyRegion = region
        return copy
    }

    /// When set, only this region's database is opened (a worker).
    public var onlyRegion: Region?

    /// The configured databases, or the local cluster's, started when it is not running.
    public func resolveDatabases() async throws -> DatabaseSet {
        var resolved: DatabaseSet
        if let databases {
            resolved = databases
        } else {
            let cluster = try LocalCluster(
                dataDirectory: dataDirectory, serverUser: ProcessInfo.processInfo.environment["RAPPORT_PG_USER"] ?? "postgres")
            resolved = try await DatabaseSet.startLocal(cluster)
        }
        if let onlyRegion { resolved.regions = resolved.regions.filter { $0.key == onlyRegion } }
        return resolved
    }

    /// The service secret; with no `secret.key` configured, one kept beside the local cluster
    /// (`<data dir>/secret.key`, created on first use, readable by its owner only).
    public func resolveSecret() throws -> [UInt8] {
        if let secret { return secret }
        guard databases == nil else {
            throw SettingsError("secret.key (RAPPORT_SECRET_KEY) must be set when the databases are configured by URL")
        }
        let file = dataDirectory.deletingLastPathComponent().appendingPathComponent("secret.key")
        if let text = try? String(contentsOf: file, encoding: .utf8), let bytes = Self.hexBytes(text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count >= 32 {
            return bytes
        }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        FileManager.default.createFile(
            atPath: file.path, contents: Data(bytes.map { String(format: "%02x", $0) }.joined().utf8),
            attributes: [.posixPermissions: 0o600])
        return bytes
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: characters.count, by: 2) {
            guard let byte = UInt8(String(decoding: characters[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}

/// The SMTP relay consent requests go out through.
public struct SMTPSettings: Sendable {
    public var host: String
    public var port: Int
    public var from: String
    public var username: String?
    public var password: String?
}

/// A configuration problem, reported as one line (a command exits with status 2).
public struct SettingsError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
