import ArgumentParser
import Engagement
import Foundation
import Postgres
import Platform

/// `rapport db start|stop|status|url`: the self-started local PostgreSQL.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Manage the self-started local PostgreSQL cluster.",
        subcommands: [Start.self, Stop.self, Status.self, URLCommand.self]
    )

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Initialise (first time) and start the local cluster; create the control and region databases.")
        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            let cluster = try options.localCluster()
            _ = try await DatabaseSet.startLocal(cluster)
            print("PostgreSQL is running in \(cluster.dataDirectory.path) (socket only)")
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the local cluster.")
        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            let cluster = try options.localCluster()
            try cluster.stop()
            print("PostgreSQL in \(cluster.dataDirectory.path) is stopped")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say whether the local cluster runs; exit 0 running, 3 stopped, 4 not initialised.")
        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            let cluster = try options.localCluster()
            switch try cluster.status() {
            case .running(let pid):
                print("running (pid \(pid)) in \(cluster.dataDirectory.path)")
            case .stopped:
                print("stopped; data in \(cluster.dataDirectory.path)")
                throw ExitCode(3)
            case .notInitialized:
                print("not initialised: \(cluster.dataDirectory.path) holds no cluster (run: rapport db start)")
                throw ExitCode(4)
            }
        }
    }

    struct URLCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "url", abstract: "Print the libpq connection string of a local database.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "control, uk, eu or na") var database: String = "control"

        func run() async throws {
            let cluster = try options.localCluster()
            let set = DatabaseSet.local(cluster)
            if database == "control" {
                print(set.control)
            } else if let region = Region(rawValue: database), let url = set.regions[region] {
                print(url)
            } else {
                throw ValidationError("unknown database \"\(database)\"; use control, uk, eu or na")
            }
        }
    }
}
