import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Transactions and COPY")
struct TransactionAndCopyTests {
    struct Boom: Error {}

    @Test("a transaction commits on return and rolls back on throw")
    func commitAndRollback() async throws {
        let connection = try await PostgresConnection.connect(TestDatabases.shared.createDatabase())
        try await connection.execute("CREATE TABLE item (id int PRIMARY KEY)")
        try await connection.withTransaction { try await $0.execute("INSERT INTO item VALUES (\(1))") }
        await #expect(throws: Boom.self) {
            try await connection.withTransaction { connection in
                try await connection.execute("INSERT INTO item VALUES (\(2))")
                throw Boom()
            }
        }
        // A statement error inside the body also rolls back everything before it.
        await #expect(throws: PostgresError.self) {
            try await connection.withTransaction { connection in
                try await connection.execute("INSERT INTO item VALUES (\(3))")
                try await connection.execute("INSERT INTO item VALUES (\(1))")
            }
        }
        let ids = try await connection.query("SELECT id FROM item ORDER BY id").decode(Int.self)
        #expect(ids == [1])
        #expect(connection.isIdleAndHealthy)
        await connection.close()
    }

    @Test("nested withTransaction is an error and the outer transaction still rolls back cleanly")
    func nested() async throws {
        let connection = try await PostgresConnection.connect(TestDatabases.shared.createDatabase())
        try await connection.execute("CREATE TABLE item (id int)")
        let error = await #expect(throws: PostgresError.self) {
            try await connection.withTransaction { connection in
                try await connection.execute("INSERT INTO item VALUES (1)")
                try await connection.withTransaction { try await $0.execute("INSERT INTO item VALUES (2)") }
            }
        }
        #expect(error?.code == .nestedTransaction)
        #expect(try await connection.query("SELECT count(*) FROM item")[0].decode(Int.self, at: 0) == 0)
        await connection.close()
    }

    @Test("a swallowed error makes COMMIT fail instead of silently rolling back")
    func swallowedError() async throws {
        let connection = try await PostgresConnection.connect(TestDatabases.shared.createDatabase())
        try await connection.execute("CREATE TABLE item (id int PRIMARY KEY)")
        let error = await #expect(throws: PostgresError.self) {
            try await connection.withTransaction { connection in
                try await connection.execute("INSERT INTO item VALUES (1)")
                _ = try? await connection.execute("INSERT INTO item VALUES (1)")
            }
        }
        #expect(error?.sqlState == "25P02")
        #expect(try await connection.query("SELECT count(*) FROM item")[0].decode(Int.self, at: 0) == 0)
        await connection.close()
    }

    @Test("COPY streams a million rows of six columns")
    func copyMillion() async throws {
        let connection = try await PostgresConnection.connect(TestDatabases.shared.createDatabase())
        try await connection.execute(
            "CREATE TABLE signal (id bigint, account int, person int, address text, flag bool, at timestamptz)")
        let base = Date(timeIntervalSince1970: 1_700_000_000)
        let copied = try await connection.copyFrom("COPY signal FROM STDIN") { writer in
            for id in 0..<1_000_000 {
                try await writer.writeRow(
                    id, Int32(id % 1000), Int32(id % 777), "user\(id)@example.com", id % 3 == 0,
                    base.addingTimeInterval(Double(id)))
            }
        }
        #expect(copied == 1_000_000)
        let row = try await connection.query(
            "SELECT count(*), sum(id)::int8, count(*) FILTER (WHERE flag), max(at), min(address) FROM signal")[0]
        #expect(try row.decode(Int.self, at: 0) == 1_000_000)
        #expect(try row.decode(Int.self, at: 1) == 499_999_500_000)
        #expect(try row.decode(Int.self, at: 2) == 333_334)
        #expect(try row.decode(Date.self, at: 3) == base.addingTimeInterval(999_999))
        #expect(try row.decode(String.self, at: 4) == "user0@example.com")
        await connection.close()
    }

    @Test("COPY escapes tabs, newlines, backslashes and writes NULLs")
    func copyEscaping() async throws {
        let connection = try await PostgresConnection.connect(TestDatabases.shared.createDatabase())
        try await connection.execute("CREATE TABLE t (a text, b text[], c int8)")
        let awkward = "tab\there\nnew line \\N back\\slash \r ✓"
        let none: Int? = nil
        try await connection.copyFrom("COPY t FROM STDIN") { writer in
            try await writer.writeRow(awkward, ["x\ty", "q\"uote", "b\\s"], none)
        }
        let row = try await connection.query("SELECT a, b, c FROM t")[0]
        #expect(try row.decode(String.self, at: 0) == awkward)
        #expect(try row.decode([String].self, at: 1) == ["x\ty", "q\"uote", "b\\s"])
        #expect(try row.decode(Int?.self, at: 2) == nil)
        await connection.close()
    }

    @Test("a COPY aborted midway leaves no rows and a usable connection")
    func copyAborted() async throws {
        let connection = try await PostgresConnection.connect(TestDatabases.shared.createDatabase())
        try await connection.execute("CREATE TABLE t (id int)")
        await #expect(throws: Boom.self) {
            try await connection.copyFrom("COPY t FROM STDIN") { writer in
                for id in 0..<200_000 {
                    if id == 150_000 { throw Boom() }
                    try await writer.writeRow(id)
                }
            }
        }
        #expect(try await connection.query("SELECT count(*) FROM t")[0].decode(Int.self, at: 0) == 0)
        #expect(connection.isIdleAndHealthy)
        // A row the server rejects fails the whole COPY, naming the problem.
        let error = await #expect(throws: PostgresError.self) {
            try await connection.copyFrom("COPY t FROM STDIN") { writer in
                try await writer.writeRow(1)
                try await writer.writeRow("not a number")
            }
        }
        #expect(error?.sqlState == "22P02")
        #expect(try await connection.query("SELECT count(*) FROM t")[0].decode(Int.self, at: 0) == 0)
        // Inside a transaction, a COPY that is rolled back leaves nothing either.
        await #expect(throws: Boom.self) {
            try await connection.withTransaction { connection in
                try await connection.copyFrom("COPY t FROM STDIN") { writer in
                    for id in 0..<10 { try await writer.writeRow(id) }
                }
                throw Boom()
            }
        }
        #expect(try await connection.query("SELECT count(*) FROM t")[0].decode(Int.self, at: 0) == 0)
        await connection.close()
    }

    @Test("a statement that is not COPY FROM STDIN is refused by copyFrom")
    func copyWrongStatement() async throws {
        let connection = try await PostgresConnection.connect(TestDatabases.shared.createDatabase())
        let error = await #expect(throws: PostgresError.self) {
            try await connection.copyFrom("SELECT 1") { _ in }
        }
        #expect(error?.code == .copyFailed)
        #expect(try await connection.query("SELECT 2")[0].decode(Int.self, at: 0) == 2)
        await connection.close()
    }
}
