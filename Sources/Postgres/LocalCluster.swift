import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL cluster that Rapport initialises and runs itself, on a Unix socket only.
///
/// It uses the machine's `initdb` and `pg_ctl` (from `RAPPORT_PG_BINDIR`, else the
/// newest `/usr/lib/postgresql/*/bin`, else `PATH`). PostgreSQL refuses to run as
/// root, so when Rapport runs as root the server binaries run as an unprivileged
/// user (`postgres` unless told otherwise) through `runuser`, on a data folder
/// that user owns. The socket lives in the data folder, which only that user
/// (and root) can enter; connections use `trust` authentication over it.
public struct LocalCluster: Sendable {
    /// How the server trades durability for speed.
    public enum Durability: Sendable {
        /// fsync on: for data that must survive a power cut.
        case durable
        /// fsync, synchronous commit and full-page writes off: for tests and benchmarks.
        case throwaway
    }

    public enum Status: Sendable, Equatable {
        case running(pid: Int32)
        case stopped
        case notInitialized
    }

    public let dataDirectory: URL
    public let port: Int
    /// The role the cluster is created with and clients connect as.
    public let superuser = "rapport"
    let serverUser: String?
    let binDirectory: URL

    /// - Parameters:
    ///   - serverUser: the user the server runs as when the caller is root; ignored otherwise.
    public init(dataDirectory: URL, port: Int = 5432, serverUser: String = "postgres", binDirectory: URL? = nil) throws {
        self.dataDirectory = dataDirectory.standardizedFileURL
        self.port = port
        self.serverUser = geteuid() == 0 ? serverUser : nil
        self.binDirectory = try binDirectory ?? Self.locateBinaries()
    }

    /// The default data folder: `$RAPPORT_DATA_DIR/postgres`, else `/var/lib/rapport/postgres`
    /// for root, else `$XDG_DATA_HOME` (or `~/.local/share`)`/rapport/postgres`.
    public static func defaultDataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let base = environment["RAPPORT_DATA_DIR"], !base.isEmpty {
            return URL(fileURLWithPath: base).appendingPathComponent("postgres")
        }
        if geteuid() == 0 {
            return URL(fileURLWithPath: "/var/lib/rapport/postgres")
        }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.local/share")
        return URL(fileURLWithPath: dataHome).appendingPathComponent("rapport/postgres")
    }

    /// Finds the folder holding `initdb`, `pg_ctl` and `postgres`.
    public static func locateBinaries(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        let fileManager = FileManager.default
        if let configured = environment["RAPPORT_PG_BINDIR"], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        let root = "/usr/lib/postgresql"
        let versions = (try? fileManager.contentsOfDirectory(atPath: root)) ?? []
        for version in versions.compactMap(Int.init).sorted(by: >) {
            let bin = "\(root)/\(version)/bin"
            if fileManager.isExecutableFile(atPath: "\(bin)/initdb") { return URL(fileURLWithPath: bin) }
        }
        for directory in (environment["PATH"] ?? "").split(separator: ":") {
            if fileManager.isExecutableFile(atPath: "\(directory)/initdb"),
                fileManager.isExecutableFile(atPath: "\(directory)/pg_ctl")
            {
                return URL(fileURLWithPath: String(directory))
            }
        }
        throw PostgresError(
            code: .localCluster,
            message: "no PostgreSQL server binaries (initdb, pg_ctl) found; install the postgresql package (apt-get install postgresql) or set RAPPORT_PG_BINDIR")
    }

    /// The libpq connection string for `database` over the cluster's socket.
    public func connectionString(database: String) -> String {
        "host='\(dataDirectory.path)' port=\(port) user=\(superuser) dbname='\(database)'"
    }

    public var isInitialized: Bool {
        FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path)
    }

    public func status() throws -> Status {
        guard isInitialized else { return .notInitialized }
        let result = try runServerTool("pg_ctl", ["-D", dataDirectory.path, "status"])
        guard result.status == 0 else { return .stopped }
        let pidFile = dataDirectory.appendingPathComponent("postmaster.pid")
        let firstLine = (try? String(contentsOf: pidFile, encoding: .utf8))?.split(separator: "\n").first
        return .running(pid: firstLine.flatMap { Int32($0) } ?? 0)
    }

    /// Creates the cluster if its folder holds none yet.
    public func initialize(durability: Durability = .durable) throws {
        guard !isInitialized else { return }
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        chmod(dataDirectory.path, 0o700)
        if let serverUser {
            try checkTraversable(by: serverUser)
            try changeOwner(of: dataDirectory.path, to: serverUser)
        }
        let result = try runServerTool(
            "initdb",
            ["-D", dataDirectory.path, "-U", superuser, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"])
        guard result.status == 0 else {
            throw PostgresError(code: .localCluster, message: "initdb failed: \(result.output.suffix(2000))")
        }
        var settings = """

            # Added by rapport: a private server on a Unix socket only.
            listen_addresses = ''
            unix_socket_directories = '\(dataDirectory.path)'
            unix_socket_permissions = 0700
            port = \(port)
            max_connections = 200
            shared_buffers = 256MB
            timezone = 'UTC'
            log_timezone = 'UTC'

            """
        if durability == .throwaway {
            settings += """
                fsync = off
                synchronous_commit = off
                full_page_writes = off
                max_wal_size = 4GB

                """
        }
        let configuration = dataDirectory.appendingPathComponent("postgresql.conf")
        let handle = try FileHandle(forWritingTo: configuration)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(settings.utf8))
        try handle.close()
    }

    /// Starts the server and waits until it accepts connections; a running server is left alone.
    public func start() throws {
        if case .running = try status() { return }
        let log = dataDirectory.appendingPathComponent("server.log").path
        let result = try runServerTool("pg_ctl", ["-D", dataDirectory.path, "-l", log, "-w", "-t", "60", "start"])
        guard result.status == 0 else {
            let tail = (try? String(contentsOfFile: log, encoding: .utf8))?.suffix(2000) ?? ""
            throw PostgresError(
                code: .localCluster, message: "pg_ctl start failed: \(result.output.suffix(1000)) \(tail)")
        }
    }

    /// Stops the server: `fast` rolls back open transactions, `immediate` just kills it.
    public func stop(immediate: Bool = false) throws {
        guard case .running = try status() else { return }
        let result = try runServerTool(
            "pg_ctl", ["-D", dataDirectory.path, "-m", immediate ? "immediate" : "fast", "-w", "-t", "60", "stop"])
        guard result.status == 0 else {
            throw PostgresError(code: .localCluster, message: "pg_ctl stop failed: \(result.output.suffix(1000))")
        }
    }

    /// Creates each database that does not exist yet.
    public func createDatabases(_ names: [String]) async throws {
        let connection = try await PostgresConnection.connect(connectionString(database: "postgres"))
        defer { Task { await connection.close() } }
        for name in names {
            let exists = try await connection.query("SELECT 1 FROM pg_database WHERE datname = \(name)")
            if exists.isEmpty {
                try await connection.execute("CREATE DATABASE \(identifier: name)")
            }
        }
    }

    // MARK: - Running the server tools

    /// The command line that runs a server tool, through `runuser` when the caller is root.
    public func commandLine(_ tool: String, _ arguments: [String]) -> [String] {
        let binary = binDirectory.appendingPathComponent(tool).path
        if let serverUser {
            return ["/usr/sbin/runuser", "-u", serverUser, "--", binary] + arguments
        }
        return [binary] + arguments
    }

    func runServerTool(_ tool: String, _ arguments: [String]) throws -> ChildProcess.Result {
        try ChildProcess.run(commandLine(tool, arguments))
    }

    private func changeOwner(of path: String, to user: String) throws {
        guard let entry = getpwnam(user) else {
            throw PostgresError(
                code: .localCluster,
                message: "running as root needs an unprivileged user \"\(user)\" for the server; install the postgresql package, which creates it, or set RAPPORT_PG_USER")
        }
        guard chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
            throw PostgresError(code: .localCluster, message: "cannot hand \(path) to \(user): \(String(cString: strerror(errno)))")
        }
    }

    /// Checks that every folder above the data folder lets `user` pass through.
    private func checkTraversable(by user: String) throws {
        var directory = dataDirectory.deletingLastPathComponent()
        while directory.path != "/" {
            var info = stat()
            if stat(directory.path, &info) == 0, info.st_mode & 0o001 == 0 {
                throw PostgresError(
                    code: .localCluster,
                    message: "the user \(user) that runs the server cannot enter \(directory.path); choose a data folder elsewhere (--data-dir or RAPPORT_DATA_DIR)")
            }
            directory = directory.deletingLastPathComponent()
        }
    }
}
