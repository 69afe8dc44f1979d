import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Queries, binds and decoding")
struct QueryTests {
    @Test("awkward bind values are stored and read back verbatim")
    func awkwardBinds() async throws {
        let connection = try await PostgresConnection.connect(TestDatabases.shared.createDatabase())
        try await connection.execute("CREATE TABLE note (id int PRIMARY KEY, body text)")
        let values = [
            "it's a \"quote\"",
            #"back\slash \\ and \n literal"#,
            "$1 $2 ?",
            "-- comment /* block */ ;",
            "Robert'); DROP TABLE note; --",
            "Zoë — naïve — 日本語 — عربي",
            "emoji 👩‍👩‍👧‍👦 🇮🇩",
            "tab\tnewline\ncarriage\r",
            String(repeating: "x", count: 1_000_000),
        ]
        for (index, value) in values.enumerated() {
            try await connection.execute("INSERT INTO note (id, body) VALUES (\(index), \(value))")
        }
        let missing: String? = nil
        try await connection.execute("INSERT INTO note (id, body) VALUES (\(values.count), \(missing))")
        let rows = try await connection.query("SELECT id, body FROM note ORDER BY id")
        let decoded = try rows.decode((Int, String?).self)
        #expect(decoded.count == values.count + 1)
        for (index, value) in values.enumerated() {
            #expect(decoded[index].1 == value)
        }
        #expect(decoded[values.count].1 == nil)
        let tables = try await connection.query("SELECT count(*) FROM pg_tables WHERE tablename = 'note'")
        #expect(try tables[0].decode(Int.self, at: 0) == 1)
        await connection.close()
    }

    @Test("a statement's text never contains its values")
    func bindsAreNotInlined() {
        let name = "O'Brien"
        let query: PostgresQuery = "SELECT * FROM person WHERE name = \(name) AND age > \(42)"
        #expect(query.sqlForLogging == "SELECT * FROM person WHERE name = $1 AND age > $2")
        #expect(query.binds.map(\.text) == ["O'Brien", "42"])
    }

    @Test("composed queries renumber their binds")
    func composition() async throws {
        let connection = try await PostgresConnection.connect(TestDatabases.shared.createDatabase())
        let low: PostgresQuery = "n >= \(3)"
        let high: PostgresQuery = "n <= \(5)"
        let condition = PostgresQuery.joined([low, high], separator: " AND ")
        let rows = try await connection.query("SELECT n FROM generate_series(\(1), \(10)) AS n WHERE \(condition) ORDER BY n")
        #expect(try rows.decode(Int.self) == [3, 4, 5])
        await connection.close()
    }

    @Test("identifiers are quoted by PQescapeIdentifier")
    func identifiers() async throws {
        let connection = try await PostgresConnection.connect(TestDatabases.shared.createDatabase())
        let table = #"weird "name"; DROP TABLE x"#
        try await connection.execute("CREATE TABLE \(identifier: table) (v int)")
        try await connection.execute("INSERT INTO \(identifier: table) VALUES (\(7))")
        let rows = try await connection.query("SELECT v FROM \(identifier: table)")
        #expect(try rows.decode(Int.self) == [7])
        #expect(try await connection.escapeIdentifier("a\"b") == "\"a\"\"b\"")
        await connection.close()
    }

    @Test("every supported type round-trips")
    func roundTrip() async throws {
        let connection = try await PostgresConnection.connect(TestDatabases.shared.createDatabase())
        struct Settings: Codable, Equatable, Sendable {
            var weights: [String: Double]
            var label: String
        }
        let settings = Settings(weights: ["email": 1.5, "meeting": 2], label: "ünïcode \"q\"")
        let uuid = UUID()
        let moment = Date(timeIntervalSince1970: 1_718_000_000.123456)
        let ids = ["a,b", "c\"d", "e\\f", "{g}", "NULL", ""]
        let row = try await connection.query(
            """
            SELECT \(Int.max)::int8 AS i, \(Int32.min)::int4 AS i32, \(Int64(-5))::int8 AS i64, \(3.25)::float8 AS d,
                   \(true)::bool AS b, \("text ✓")::text AS s, \(moment)::timestamptz AS ts, \(uuid)::uuid AS u,
                   \(ids)::text[] AS texts, \([1, -2, Int.max])::int8[] AS ints, \(PostgresJSON(settings))::jsonb AS j,
                   '2024-02-29'::date AS day, NULL::int8 AS nothing, '{}'::text[] AS empty
            """)[0]
        #expect(try row.decode(Int.self, column: "i") == Int.max)
        #expect(try row.decode(Int32.self, column: "i32") == Int32.min)
        #expect(try row.decode(Int64.self, column: "i64") == -5)
        #expect(try row.decode(Double.self, column: "d") == 3.25)
        #expect(try row.decode(Bool.self, column: "b") == true)
        #expect(try row.decode(String.self, column: "s") == "text ✓")
        let decodedMoment = try row.decode(Date.self, column: "ts")
        #expect(abs(decodedMoment.timeIntervalSince(moment)) < 0.000_001)
        #expect(try row.decode(UUID.self, column: "u") == uuid)
        #expect(try row.decode([String].self, column: "texts") == ids)
        #expect(try row.decode([Int].self, column: "ints") == [1, -2, Int.max])
        #expect(try row.decode(PostgresJSON<Settings>.self, column: "j").value == settings)
        #expect(try row.decode(Date.self, column: "day") == Date(timeIntervalSince1970: 1_709_164_800))
        #expect(try row.decode(Int?.self, column: "nothing") == nil)
        #expect(try row.decode(String?.self, column: "s") == "text ✓")
        #expect(try row.decode([String].self, column: "empty") == [])
        await connection.close()
    }

    @Test("timestamps keep their instant whatever zone they were written in; the session is UTC")
    func timeZones() async throws {
        let connection = try await PostgresConnection.connect(TestDatabases.shared.createDatabase())
        let rows = try await connection.query(
            """
            SELECT '2024-03-10 02:30:00-05'::timestamptz AS new_york, '2024-03-10 09:30:00+02:00'::timestamptz AS cairo,
                   '2024-03-10 07:30:00.5+00'::timestamptz AS utc, current_setting('TimeZone') AS zone,
                   current_setting('DateStyle') AS style, current_setting('client_encoding') AS encoding,
                   '0044-03-15 12:00:00+00'::timestamptz AS ides, 'infinity'::timestamptz AS forever
            """)
        let row = rows[0]
        let expected = Date(timeIntervalSince1970: 1_710_055_800)
        #expect(try row.decode(Date.self, column: "new_york") == expected)
        #expect(try row.decode(Date.self, column: "cairo") == expected)
        #expect(try row.decode(Date.self, column: "utc") == expected.addingTimeInterval(0.5))
        #expect(try row.decode(String.self, column: "zone") == "UTC")
        #expect(try row.decode(String.self, column: "style") == "ISO, YMD")
        #expect(try row.decode(String.self, column: "encoding") == "UTF8")
        #expect(try row.decode(Date.self, column: "ides") == Date(timeIntervalSince1970: -60_772_248_000))
        #expect(try row.decode(Date.self, column: "forever") == .distantFuture)
        let written = Date(timeIntervalSince1970: 1_710_055_800.25)
        let echoed = try await connection.query("SELECT \(written)::timestamptz::text")
        #expect(try echoed[0].decode(String.self, at: 0) == "2024-03-10 07:30:00.25+00")
        await connection.close()
    }

    @Test("a wrong type or a NULL into a non-optional names the column")
    func decodingErrors() async throws {
        let connection = try await PostgresConnection.connect(TestDatabases.shared.createDatabase())
        let row = try await connection.query("SELECT 'abc'::text AS label, NULL::int AS missing, 99999999999::int8 AS big")[0]
        let wrongType = #expect(throws: PostgresError.self) { try row.decode(Int.self, column: "label") }
        #expect(wrongType?.code == .decoding)
        #expect(wrongType?.message.contains("\"label\"") == true)
        #expect(wrongType?.message.contains("text") == true)
        let null = #expect(throws: PostgresError.self) { try row.decode(Int.self, column: "missing") }
        #expect(null?.message.contains("\"missing\" is NULL") == true)
        let overflow = #expect(throws: PostgresError.self) { try row.decode(Int32.self, column: "big") }
        #expect(overflow?.message.contains("\"big\"") == true)
        await connection.close()
    }

    @Test("server errors carry SQLSTATE and message but never the bind values")
    func serverErrors() async throws {
        let connection = try await PostgresConnection.connect(TestDatabases.shared.createDatabase())
        try await connection.execute("CREATE TABLE person (email text PRIMARY KEY, age int)")
        let secret = "secret.person@example.com"
        try await connection.execute("INSERT INTO person VALUES (\(secret), 30)")
        let duplicate = await #expect(throws: PostgresError.self) {
            try await connection.execute("INSERT INTO person VALUES (\(secret), 31)")
        }
        #expect(duplicate?.sqlState == "23505")
        #expect(duplicate?.isUniqueViolation == true)
        #expect(duplicate?.constraintName == "person_pkey")
        #expect("\(duplicate!)".contains(secret) == false)
        let badNumber = await #expect(throws: PostgresError.self) {
            try await connection.execute("INSERT INTO person VALUES ('x', \("not-a-number-4711")::int)")
        }
        #expect(badNumber?.sqlState == "22P02")
        #expect("\(badNumber!)".contains("not-a-number-4711") == false)
        #expect("\(badNumber!)".contains("invalid input syntax") == true)
        // The connection is usable after an error.
        #expect(try await connection.query("SELECT count(*) FROM person")[0].decode(Int.self, at: 0) == 1)
        await connection.close()
    }

    @Test("a bad connection string fails with connectionFailed")
    func connectFailure() async throws {
        let error = await #expect(throws: PostgresError.self) {
            _ = try await PostgresConnection.connect("host=/nonexistent/socket/dir dbname=x connect_timeout=2")
        }
        #expect(error?.code == .connectionFailed)
    }
}
