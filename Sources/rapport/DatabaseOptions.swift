import ArgumentParser
import Engagement
import Foundation
import Postgres
import Platform

/// Where the databases are: configured URLs, or the self-started local cluster.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("data-dir"),
        help: "The local cluster's data folder (default: $RAPPORT_DATA_DIR/postgres, /var/lib/rapport/postgres as root, else ~/.local/share/rapport/postgres).")
    var dataDirectory: String?

    func localCluster() throws -> LocalCluster {
        let environment = ProcessInfo.processInfo.environment
        let folder = dataDirectory.map { URL(fileURLWithPath: $0) } ?? LocalCluster.defaultDataDirectory(environment: environment)
        return try LocalCluster(dataDirectory: folder, serverUser: environment["RAPPORT_PG_USER"] ?? "postgres")
    }

    /// The configured databases, or the local cluster's (started if it is not running).
    func databases() async throws -> DatabaseSet {
        if let configured = try DatabaseSet.configured(ProcessInfo.processInfo.environment) {
            return configured
        }
        return try await DatabaseSet.startLocal(localCluster())
    }
}

/// Prints an error the way every command does and exits with `code`.
func fail(_ message: String, code: Int32 = 2) -> Never {
    FileHandle.standardError.write(Data("rapport: \(message)\n".utf8))
    exit(code)
}
