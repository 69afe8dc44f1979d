import Engagement
import Foundation
import Logging
import Postgres

/// Migrates the control database and every region database from the `sql/` folders.
public struct SchemaMigrations: Sendable {
    /// The folder holding `control/` and `region/`.
    public let sqlFolder: URL
    let logger: Logger

    public init(sqlFolder: URL, logger: Logger = Logger(label: "rapport.migrate")) {
        self.sqlFolder = sqlFolder
        self.logger = logger
    }

    /// Finds `sql/`: `RAPPORT_SQL_DIR`, else `./sql`, else the nearest `sql/` above the executable.
    public static func locateSQLFolder(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        let fileManager = FileManager.default
        func holdsMigrations(_ url: URL) -> Bool {
            fileManager.fileExists(atPath: url.appendingPathComponent("control").path)
                && fileManager.fileExists(atPath: url.appendingPathComponent("region").path)
        }
        if let configured = environment["RAPPORT_SQL_DIR"], !configured.isEmpty {
            let url = URL(fileURLWithPath: configured)
            guard holdsMigrations(url) else {
                throw PostgresError(code: .migration, message: "RAPPORT_SQL_DIR=\(configured) holds no control/ and region/ folders")
            }
            return url
        }
        let working = URL(fileURLWithPath: fileManager.currentDirectoryPath).appendingPathComponent("sql")
        if holdsMigrations(working) { return working }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("sql")
            if holdsMigrations(candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        for installed in ["/usr/share/rapport/sql", "/usr/local/share/rapport/sql"] where holdsMigrations(URL(fileURLWithPath: installed)) {
            return URL(fileURLWithPath: installed)
        }
        throw PostgresError(code: .migration, message: "cannot find the sql/ folder; run from the checkout or set RAPPORT_SQL_DIR")
    }

    /// What one database was migrated with.
    public struct Outcome: Sendable {
        public var database: String
        public var applied: [String]
        public var version: Int
    }

    /// Applies pending migrations everywhere; each region database is stamped with its region.
    public func migrateAll(_ databases: DatabaseSet) async throws -> [Outcome] {
        var outcomes: [Outcome] = []
        outcomes.append(try await migrate(databases.control, folder: "control", label: "control", region: nil))
        for region in Region.allCases {
            guard let url = databases.regions[region] else { continue }
            outcomes.append(try await migrate(url, folder: "region", label: region.rawValue, region: region))
        }
        return outcomes
    }

    private func migrate(_ url: String, folder: String, label: String, region: Region?) async throws -> Outcome {
        let connection = try await PostgresConnection.connect(url, logger: logger)
        do {
            let migrator = Migrator(folder: sqlFolder.appendingPathComponent(folder), logger: logger)
            let applied = try await migrator.migrate(connection)
            if let region { try await Self.stamp(connection, as: region) }
            let version = try await connection.query("SELECT coalesce(max(version), 0) FROM rapport_migrations")[0]
                .decode(Int.self, at: 0)
            await connection.close()
            return Outcome(database: label, applied: applied, version: version)
        } catch {
            await connection.close()
            throw error
        }
    }

    /// Records the region a region database serves, or checks the one recorded.
    public static func stamp(_ connection: PostgresConnection, as region: Region) async throws {
        try await connection.execute(
            "INSERT INTO region_identity (code) VALUES (\(region.rawValue)) ON CONFLICT (singleton) DO NOTHING")
        let recorded = try await connection.query("SELECT code FROM region_identity")[0].decode(String.self, at: 0)
        guard recorded == region.rawValue else {
            throw PostgresError(
                code: .migration,
                message: "this database serves region \(recorded), not \(region.rawValue); check \(DatabaseSet.urlKey(of: region))")
        }
    }
}
