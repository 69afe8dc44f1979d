import Foundation
import Logging
import Postgres
import Platform

/// A benchmark's own PostgreSQL cluster (fsync off) in a temporary folder that also holds its scratch files.
///
/// `stop` shuts the server down at once and removes the folder; call it in a `defer` right after `start`.
struct ThrowawayCluster {
    /// The folder of the cluster (`cluster/`) and of the benchmark's scratch files.
    let folder: URL
    let cluster: LocalCluster

    static func start(_ name: String) throws -> ThrowawayCluster {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("rapport-\(name)-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let scratch = ThrowawayCluster(folder: folder, cluster: try LocalCluster(dataDirectory: folder.appendingPathComponent("cluster")))
        do {
            try scratch.cluster.initialize(durability: .throwaway)
            try scratch.cluster.start()
        } catch {
            scratch.stop()
            throw error
        }
        return scratch
    }

    /// The control database and the three region databases, created and migrated.
    func migratedDatabases(logger: Logger) async throws -> DatabaseSet {
        let databases = try await DatabaseSet.startLocal(cluster)
        _ = try await SchemaMigrations(sqlFolder: try SchemaMigrations.locateSQLFolder(), logger: logger).migrateAll(databases)
        return databases
    }

    func stop() {
        try? cluster.stop(immediate: true)
        try? FileManager.default.removeItem(at: folder)
    }
}
