import Foundation
import Postgres
import TestSupport
import Testing

@Suite("rapport db, migrate and status")
struct DatabaseCommandTests {
    @Test("a newcomer's sequence: start, migrate twice, status, url, stop")
    func lifecycle() async throws {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("rapport-cli-\(UUID().uuidString.prefix(8))")
        let environment = ["RAPPORT_DATA_DIR": folder.path]
        TestDatabases.reapOnExit(try LocalCluster(dataDirectory: folder.appendingPathComponent("postgres")), alsoRemoving: folder)

        let before = try await RapportExecutable.run(["db", "status"], environment: environment)
        #expect(before.status == 4)
        #expect(before.output.contains("not initialised"))

        let start = try await RapportExecutable.run(["db", "start"], environment: environment)
        #expect(start.status == 0, "\(start.output)")

        let migrate = try await RapportExecutable.run(["migrate"], environment: environment)
        #expect(migrate.status == 0, "\(migrate.output)")
        #expect(migrate.output.contains("control: version"))
        #expect(migrate.output.contains("applied 0001_regions.sql"))
        for region in ["uk", "eu", "na"] {
            #expect(migrate.output.contains("\(region): version"))
        }
        let again = try await RapportExecutable.run(["migrate"], environment: environment)
        #expect(again.output.components(separatedBy: "up to date").count - 1 == 4, "\(again.output)")

        let status = try await RapportExecutable.run(["status"], environment: environment)
        #expect(status.status == 0, "\(status.output)")
        for region in ["uk", "eu", "na"] {
            #expect(status.output.contains("serves region \(region)"))
        }

        // The printed URL works with libpq and reaches the right region's database.
        let url = try await RapportExecutable.run(["db", "url", "eu"], environment: environment)
        let connection = try await PostgresConnection.connect(url.output.trimmingCharacters(in: .whitespacesAndNewlines))
        let code = try await connection.query("SELECT code FROM region_identity")[0].decode(String.self, at: 0)
        #expect(code == "eu")
        await connection.close()

        let stop = try await RapportExecutable.run(["db", "stop"], environment: environment)
        #expect(stop.status == 0)
        let after = try await RapportExecutable.run(["db", "status"], environment: environment)
        #expect(after.status == 3)
        let down = try await RapportExecutable.run(["status"], environment: environment)
        #expect(down.status == 1)
        #expect(down.output.contains("not running"))
    }

    @Test("configuring only some database URLs is refused, naming the missing ones")
    func partialConfiguration() async throws {
        let result = try await RapportExecutable.run(
            ["migrate"], environment: ["RAPPORT_CONTROL_DATABASE_URL": "host=/nowhere dbname=x"])
        #expect(result.status != 0)
        #expect(result.output.contains("RAPPORT_UK_DATABASE_URL"))
        #expect(result.output.contains("RAPPORT_NA_DATABASE_URL"))
    }

    @Test("a region database stamped for one region refuses to be migrated as another")
    func regionMixUp() async throws {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("rapport-mix-\(UUID().uuidString.prefix(8))")
        let cluster = try LocalCluster(dataDirectory: folder)
        TestDatabases.reapOnExit(cluster)
        try cluster.initialize(durability: .throwaway)
        try cluster.start()
        try await cluster.createDatabases(["c", "r1", "r2", "r3"])
        var environment = ["RAPPORT_CONTROL_DATABASE_URL": cluster.connectionString(database: "c")]
        environment["RAPPORT_UK_DATABASE_URL"] = cluster.connectionString(database: "r1")
        environment["RAPPORT_EU_DATABASE_URL"] = cluster.connectionString(database: "r2")
        environment["RAPPORT_NA_DATABASE_URL"] = cluster.connectionString(database: "r3")
        #expect(try await RapportExecutable.run(["migrate"], environment: environment).status == 0)
        // Swap uk and eu: the stamps catch it.
        environment["RAPPORT_UK_DATABASE_URL"] = cluster.connectionString(database: "r2")
        environment["RAPPORT_EU_DATABASE_URL"] = cluster.connectionString(database: "r1")
        let swapped = try await RapportExecutable.run(["migrate"], environment: environment)
        #expect(swapped.status != 0)
        #expect(swapped.output.contains("serves region eu, not uk"))
    }
}
