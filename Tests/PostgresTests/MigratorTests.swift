import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Migrations")
struct MigratorTests {
    func folder(_ files: [String: String]) throws -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return url
    }

    @Test("files apply once, in order, each in its own transaction")
    func appliesInOrder() async throws {
        let connection = try await PostgresConnection.connect(TestDatabases.shared.createDatabase())
        let url = try folder([
            "0001_create.sql": "CREATE TABLE a (id int);",
            "0002_insert.sql": "INSERT INTO a VALUES (1); INSERT INTO a VALUES (2);",
        ])
        let migrator = Migrator(folder: url)
        #expect(try await migrator.migrate(connection) == ["0001_create.sql", "0002_insert.sql"])
        #expect(try await migrator.migrate(connection) == [])
        try "CREATE TABLE b (id int); SELECT * FROM no_such_table;".write(
            to: url.appendingPathComponent("0003_broken.sql"), atomically: true, encoding: .utf8)
        let error = await #expect(throws: PostgresError.self) { try await migrator.migrate(connection) }
        #expect(error?.message.contains("0003_broken.sql") == true)
        // The failed file left nothing behind: no table b, no record.
        let b = try await connection.query("SELECT to_regclass('b') IS NULL")[0].decode(Bool.self, at: 0)
        #expect(b)
        let versions = try await connection.query("SELECT version FROM rapport_migrations ORDER BY version").decode(Int.self)
        #expect(versions == [1, 2])
        await connection.close()
    }

    @Test("an applied file whose text changed is an error naming the file")
    func checksumMismatch() async throws {
        let connection = try await PostgresConnection.connect(TestDatabases.shared.createDatabase())
        let url = try folder(["0001_create.sql": "CREATE TABLE a (id int);"])
        try await Migrator(folder: url).migrate(connection)
        try "CREATE TABLE a (id bigint);".write(
            to: url.appendingPathComponent("0001_create.sql"), atomically: true, encoding: .utf8)
        let error = await #expect(throws: PostgresError.self) { try await Migrator(folder: url).migrate(connection) }
        #expect(error?.code == .migration)
        #expect(error?.message.contains("0001_create.sql") == true)
        #expect(error?.message.contains("changed") == true)
        await connection.close()
    }

    @Test("badly named files are refused")
    func badNames() async throws {
        let url = try folder(["1_create.sql": "SELECT 1;"])
        let error = #expect(throws: PostgresError.self) { try Migrator(folder: url).migrations() }
        #expect(error?.message.contains("1_create.sql") == true)
    }

    @Test("two runners started at once apply each file exactly once")
    func concurrentRunners() async throws {
        let url = try await TestDatabases.shared.createDatabase()
        let folderURL = try folder([
            "0001_create.sql": "CREATE TABLE counter (n int); SELECT pg_sleep(0.3);",
            "0002_insert.sql": "INSERT INTO counter VALUES (1);",
        ])
        let results = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<2 {
                group.addTask {
                    let connection = try await PostgresConnection.connect(url)
                    let applied = try await Migrator(folder: folderURL).migrate(connection)
                    await connection.close()
                    return applied
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.map(\.count).sorted() == [0, 2])
        let connection = try await PostgresConnection.connect(url)
        #expect(try await connection.query("SELECT count(*) FROM counter")[0].decode(Int.self, at: 0) == 1)
        await connection.close()
    }
}
