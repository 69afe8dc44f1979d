import Engagement
import Foundation
import Generator
import Ingest
import Logging
import Postgres
import Platform

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway cluster (fsync off) with one migrated region database and a generated environment, for the region benchmarks.
///
/// `start` initializes the cluster in a temporary folder; `shutdown` stops it
/// (immediate) and removes the folder and the scratch files.
struct BenchRegion {
    let folder: URL
    let cluster: LocalCluster
    let url: String
    let database: RegionDatabase
    let tenant = UUID(uuidString: "00000000-0000-4000-8000-00000000be01")!
    let environment = UUID(uuidString: "00000000-0000-4000-8000-00000000be02")!
    let hasher: AddressHasher

    /// - Parameters:
    ///   - explain: log the plan (with timings) of every statement slower than 1 s to the server log.
    ///   - settings: server settings (`name=value`) applied with ALTER SYSTEM before any work (after `explain`'s, so they can override them).
    static func start(explain: Bool = false, settings: [String] = []) async throws -> BenchRegion {
        let scratch = try ThrowawayCluster.start("bench")
        do {
            return try await prepare(cluster: scratch.cluster, folder: scratch.folder, explain: explain, settings: settings)
        } catch {
            scratch.stop()
            throw error
        }
    }

    private static func prepare(cluster: LocalCluster, folder: URL, explain: Bool, settings: [String]) async throws -> BenchRegion {
        try await cluster.createDatabases(["bench_region"])
        let url = cluster.connectionString(database: "bench_region")
        if explain {
            let admin = try await PostgresConnection.connect(url)
            try await admin.execute("LOAD 'auto_explain'")
            for setting in [
                "session_preload_libraries = 'auto_explain'", "auto_explain.log_min_duration = '1s'", "auto_explain.log_analyze = on",
                "auto_explain.log_buffers = on", "auto_explain.log_nested_statements = on", "log_min_duration_statement = 1000",
            ] {
                try await admin.execute(PostgresQuery(unsafeSQL: "ALTER SYSTEM SET \(setting)"))
            }
            try await admin.execute("SELECT pg_reload_conf()")
            await admin.close()
        }
        if !settings.isEmpty {
            let admin = try await PostgresConnection.connect(url)
            try await admin.execute("LOAD 'auto_explain'")
            for setting in settings {
                // ALTER SYSTEM takes no binds: both parts are checked to be plain words.
                func plain(_ text: Substring) -> Bool {
                    !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
                }
                guard let equals = setting.firstIndex(of: "="), plain(setting[..<equals]),
                    plain(setting[setting.index(after: equals)...])
                else { throw BenchError("--pg-setting takes name=value (letters, digits, _ . -), not \(setting)") }
                try await admin.execute(PostgresQuery(
                    unsafeSQL: "ALTER SYSTEM SET \(setting[..<equals]) = '\(setting[setting.index(after: equals)...])'"))
            }
            try await admin.execute("SELECT pg_reload_conf()")
            await admin.close()
        }
        let connection = try await PostgresConnection.connect(url)
        let sql = try SchemaMigrations.locateSQLFolder()
        var quiet = Logger(label: "rapport.bench")
        quiet.logLevel = .warning
        try await Migrator(folder: sql.appendingPathComponent("region"), logger: quiet).migrate(connection)
        try await SchemaMigrations.stamp(connection, as: .eu)
        await connection.close()
        let database = RegionDatabase(region: .eu, pool: PostgresPool(.init(connectionString: url, maximumConnections: 4, name: "bench")))
        let tenant = UUID(uuidString: "00000000-0000-4000-8000-00000000be01")!
        return BenchRegion(
            folder: folder, cluster: cluster, url: url, database: database,
            hasher: AddressHasher(serviceSecret: [UInt8](repeating: 0x5A, count: 32), tenant: tenant))
    }

    init(folder: URL, cluster: LocalCluster, url: String, database: RegionDatabase, hasher: AddressHasher) {
        self.folder = folder
        self.cluster = cluster
        self.url = url
        self.database = database
        self.hasher = hasher
    }

    /// Starts the region with `size`'s server settings, runs `body` on it, then shuts it down, keeping
    /// the server log where `--explain-log` asks, also when `body` fails.
    static func run(_ size: BenchSize, _ body: (BenchRegion) async throws -> Void) async throws {
        let region = try await start(explain: size.explainLog != nil, settings: size.settings)
        do {
            try await body(region)
        } catch {
            await region.shutdown(keepLog: size.explainLog)
            throw error
        }
        await region.shutdown(keepLog: size.explainLog)
    }

    /// Stops the cluster and removes its folder; `keepLog` receives a copy of the server log first.
    func shutdown(keepLog: String? = nil) async {
        await database.pool.shutdown()
        if let keepLog {
            try? FileManager.default.removeItem(atPath: keepLog)
            try? FileManager.default.copyItem(at: cluster.dataDirectory.appendingPathComponent("server.log"), to: URL(fileURLWithPath: keepLog))
        }
        ThrowawayCluster(folder: folder, cluster: cluster).stop()
    }

    /// The environment's slice of the throwaway region database.
    var slice: EnvironmentDatabase { EnvironmentDatabase(database: database, tenant: tenant, environment: environment) }

    /// The import scope of the environment: the organization's domain, its selected mailboxes, every email column.
    func scope(_ organization: SyntheticOrganization) -> ActivityImporter.Scope {
        let asOf = organization.spec.asOf
        return ActivityImporter.Scope(
            internalDomains: organization.internalDomains,
            selectedAddresses: Set(organization.selectedAddresses), emailField: nil,
            windowStart: asOf.addingTimeInterval(-365 * 86_400), windowEnd: asOf)
    }

    /// Replaces the environment's customer data with the organization's accounts and contacts.
    func loadCustomerData(_ organization: SyntheticOrganization) async throws -> CustomerDataStore.Counts {
        try await CustomerDataStore(slice, hasher: hasher).replace(accounts: organization.businessAccounts, contacts: organization.crmContacts)
    }

    /// Writes every generated record as NDJSON (the push format), streaming; returns the records and bytes written.
    static func writeNDJSON(_ generator: ActivityGenerator, to url: URL) throws -> (records: Int, bytes: Int) {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let file = try FileHandle(forWritingTo: url)
        defer { try? file.close() }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(8 << 20)
        var records = 0
        var bytes = 0
        for record in generator.records {
            ActivityJSONLine.append(record, to: &buffer)
            records += 1
            if buffer.count >= 4 << 20 {
                try file.write(contentsOf: buffer)
                bytes += buffer.count
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try file.write(contentsOf: buffer)
        bytes += buffer.count
        return (records, bytes)
    }

    /// Imports an NDJSON file the way `rapport import` does: read and parsed line by line on a reader thread.
    func importFile(_ path: URL, scope: ActivityImporter.Scope) async throws -> ImportReport {
        let source = FileRecordSource(paths: [path.path], window: TimeWindow(from: scope.windowStart, to: scope.windowEnd))
        let problems = BenchProblemCount()
        let report = try await ActivityImporter(slice, hasher: hasher).importRecords(scope) { consume in
            try await source.forEach(problem: { _ in problems.add() }) { record in try await consume(record) }
        }
        if problems.value > 0 { throw BenchError("\(problems.value) NDJSON lines could not be parsed") }
        return report
    }
}
