import Foundation
import Postgres

#if canImport(Glibc)
import Glibc
#endif

/// Throwaway databases for the test suite, on one cluster per test process.
///
/// With `RAPPORT_TEST_DATABASE_URL` set (a keyword/value connection string such
/// as `host=/run/postgresql user=me`), databases are created on that server, named
/// `rapport_test_<pid>_…` and left there; the role needs CREATEDB. Otherwise a local
/// cluster is initialised in a temporary folder by the same `LocalCluster` code
/// `rapport db start` uses, with fsync off. It is stopped and deleted when the
/// test process exits, and a watchdog process does the same if the test process
/// dies without running its exit handlers.
public actor TestDatabases {
    public static let shared = TestDatabases()

    private enum Server {
        case local(LocalCluster)
        case external(String)
    }

    private var server: Server?
    private var counter = 0

    /// A new, empty database; returns its libpq connection string.
    public func createDatabase(prefix: String = "t") async throws -> String {
        let server = try await startIfNeeded()
        counter += 1
        let name = "rapport_test_\(getpid())_\(prefix)_\(counter)"
        switch server {
        case .local(let cluster):
            try await cluster.createDatabases([name])
            return cluster.connectionString(database: name)
        case .external(let url):
            let admin = try await PostgresConnection.connect(url)
            try await admin.execute("CREATE DATABASE \(identifier: name)")
            await admin.close()
            // In a keyword/value connection string the last setting of a keyword wins.
            return "\(url) dbname=\(name)"
        }
    }

    private func startIfNeeded() async throws -> Server {
        if let server { return server }
        if let url = ProcessInfo.processInfo.environment["RAPPORT_TEST_DATABASE_URL"], !url.isEmpty {
            server = .external(url)
            return server!
        }
        let cluster = try Self.startThrowawayCluster(name: "suite")
        server = .local(cluster)
        return server!
    }

    /// Makes sure a cluster some other code started in `folder` is stopped and deleted at exit.
    public static func reapOnExit(_ cluster: LocalCluster, alsoRemoving folder: URL? = nil) {
        ClusterReaper.register(cluster, alsoRemoving: folder)
    }

    /// Starts a separate throwaway cluster, e.g. for a test that restarts its server.
    ///
    /// It is stopped and removed when the test process ends, like the shared one.
    public static func startThrowawayCluster(name: String) throws -> LocalCluster {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("rapport-test-\(getpid())-\(name)-\(UUID().uuidString.prefix(8))")
        let cluster = try LocalCluster(dataDirectory: folder)
        try cluster.initialize(durability: .throwaway)
        try cluster.start()
        ClusterReaper.register(cluster)
        return cluster
    }
}

/// Stops throwaway clusters when the test process exits, however it exits.
enum ClusterReaper {
    nonisolated(unsafe) private static var folders: [String] = []
    private static let lock = NSLock()
    nonisolated(unsafe) private static var installed = false

    static func register(_ cluster: LocalCluster, alsoRemoving extra: URL? = nil) {
        lock.lock()
        defer { lock.unlock() }
        folders.append(cluster.dataDirectory.path)
        if !installed {
            installed = true
            atexit { ClusterReaper.stopAllNow() }
        }
        startWatchdog(for: cluster, alsoRemoving: extra)
    }

    /// Sends the postmaster SIGQUIT (immediate shutdown); the watchdog removes the folder.
    static func stopAllNow() {
        lock.lock()
        let current = folders
        lock.unlock()
        for folder in current {
            guard let text = try? String(contentsOfFile: folder + "/postmaster.pid", encoding: .utf8),
                let pid = text.split(separator: "\n").first.flatMap({ Int32($0) })
            else { continue }
            kill(pid, SIGQUIT)
        }
    }

    /// A detached shell that waits for this process to end, then stops the server and deletes its folder.
    private static func startWatchdog(for cluster: LocalCluster, alsoRemoving extra: URL?) {
        let stop = cluster.commandLine("pg_ctl", ["-D", cluster.dataDirectory.path, "-m", "immediate", "-w", "stop"])
            .map { "'\($0)'" }.joined(separator: " ")
        let script = """
            while kill -0 \(getpid()) 2>/dev/null; do sleep 0.5; done
            \(stop) >/dev/null 2>&1
            rm -rf '\(cluster.dataDirectory.path)' \(extra.map { "'\($0.path)'" } ?? "")
            """
        try? ChildProcess.startDetached(["/bin/sh", "-c", script])
    }
}
