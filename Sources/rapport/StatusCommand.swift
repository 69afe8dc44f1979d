import ArgumentParser
import Engagement
import Foundation
import Postgres
import Platform

/// `rapport status`: every database, whether it answers, and its schema version.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show each database, its schema version and the region it serves.")
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let databases: DatabaseSet
        if let configured = try DatabaseSet.configured(ProcessInfo.processInfo.environment) {
            databases = configured
            print("databases: configured by URL")
        } else {
            let cluster = try options.localCluster()
            guard case .running(let pid) = try cluster.status() else {
                fail("the local cluster in \(cluster.dataDirectory.path) is not running (rapport db start)", code: 1)
            }
            print("databases: local cluster, pid \(pid), \(cluster.dataDirectory.path)")
            databases = DatabaseSet.local(cluster)
        }
        var healthy = true
        var targets = [("control", databases.control)]
        targets += Region.allCases.compactMap { region in databases.regions[region].map { (region.rawValue, $0) } }
        for (label, url) in targets {
            do {
                let connection = try await PostgresConnection.connect(url)
                let version = try await connection.query(
                    "SELECT CASE WHEN to_regclass('rapport_migrations') IS NULL THEN 0 ELSE (SELECT coalesce(max(version), 0) FROM rapport_migrations) END"
                )[0].decode(Int.self, at: 0)
                let server = try await connection.query("SHOW server_version")[0].decode(String.self, at: 0)
                var line = "  \(label.padding(toLength: 8, withPad: " ", startingAt: 0)) ok, PostgreSQL \(server), schema version \(version)"
                if label != "control", version > 0 {
                    let identity = try await connection.query("SELECT code FROM region_identity").first(decoding: String.self)
                    line += ", serves region \(identity ?? "(not stamped)")"
                }
                print(line)
                await connection.close()
            } catch {
                healthy = false
                print("  \(label.padding(toLength: 8, withPad: " ", startingAt: 0)) unreachable: \(error)")
            }
        }
        if !healthy { throw ExitCode(1) }
    }
}
