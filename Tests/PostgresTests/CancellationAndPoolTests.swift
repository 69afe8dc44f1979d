import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Cancellation, pool, restarts and LISTEN")
struct CancellationAndPoolTests {
    @Test("cancelling the task cancels pg_sleep(30) within a second; the connection stays usable")
    func cancellation() async throws {
        let url = try await TestDatabases.shared.createDatabase()
        let connection = try await PostgresConnection.connect(url)
        let sleeper = Task { try await connection.query("SELECT pg_sleep(30)") }
        // Wait until the server is really running the statement.
        let observer = try await PostgresConnection.connect(url)
        for _ in 0..<100 {
            let running = try await observer.query(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = \(connection.backendPID) AND query = 'SELECT pg_sleep(30)' AND state = 'active'")
            if try running[0].decode(Int.self, at: 0) == 1 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let cancelled = ContinuousClock.now
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { _ = try await sleeper.value }
        // The loop polls every 100 ms; a loaded 2-core CI machine gets slack, but nothing near 30 s.
        #expect(ContinuousClock.now - cancelled < .seconds(15))
        let state = try await observer.query("SELECT state FROM pg_stat_activity WHERE pid = \(connection.backendPID)")
        #expect(try state[0].decode(String.self, at: 0) == "idle")
        #expect(try await connection.query("SELECT 41 + 1")[0].decode(Int.self, at: 0) == 42)
        await observer.close()
        await connection.close()
    }

    @Test("a task cancelled before its statement starts never sends it")
    func cancelledBeforeStart() async throws {
        let connection = try await PostgresConnection.connect(TestDatabases.shared.createDatabase())
        try await connection.execute("CREATE TABLE t (id int)")
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await connection.execute("INSERT INTO t VALUES (1)")
        }
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        #expect(try await connection.query("SELECT count(*) FROM t")[0].decode(Int.self, at: 0) == 0)
        await connection.close()
    }

    @Test("an exhausted pool makes callers wait, then fails with a clear timeout")
    func poolExhaustion() async throws {
        let url = try await TestDatabases.shared.createDatabase()
        let pool = PostgresPool(.init(connectionString: url, maximumConnections: 2, acquireTimeout: .milliseconds(400), name: "tiny"))
        // Two long holders take both connections.
        let holders = (0..<2).map { _ in
            Task { try await pool.withConnection { try await $0.query("SELECT pg_sleep(1.5)") } }
        }
        try await Task.sleep(for: .milliseconds(200))
        #expect(pool.statistics.inUse == 2)
        let started = ContinuousClock.now
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { _ in }
        }
        let waited = ContinuousClock.now - started
        #expect(error?.code == .poolTimeout)
        #expect(error?.message.contains("\"tiny\"") == true)
        #expect(waited >= .milliseconds(350))
        for holder in holders { _ = try await holder.value }
        #expect(pool.statistics.timeoutsTotal == 1)
        #expect(pool.statistics.open == 2)
        await pool.shutdown()
    }

    @Test("a waiter gets the connection another task returns, in turn")
    func poolWaitsInTurn() async throws {
        let url = try await TestDatabases.shared.createDatabase()
        let pool = PostgresPool(.init(connectionString: url, maximumConnections: 1, acquireTimeout: .seconds(20)))
        let holder = Task { try await pool.withConnection { try await $0.query("SELECT pg_sleep(0.5)") } }
        try await Task.sleep(for: .milliseconds(100))
        let started = ContinuousClock.now
        let answer = try await pool.withConnection { try await $0.query("SELECT 7")[0].decode(Int.self, at: 0) }
        #expect(answer == 7)
        #expect(ContinuousClock.now - started >= .milliseconds(250))
        _ = try await holder.value
        let statistics = pool.statistics
        #expect(statistics.waitsTotal == 1)
        #expect(statistics.timeoutsTotal == 0)
        #expect(statistics.open == 1 && statistics.idle == 1)
        await pool.shutdown()
    }

    @Test("a connection returned inside a transaction or broken is discarded, not reused")
    func discardOnRelease() async throws {
        let url = try await TestDatabases.shared.createDatabase()
        let pool = PostgresPool(.init(connectionString: url, maximumConnections: 1))
        let firstPID = try await pool.withConnection { connection in
            try await connection.execute("BEGIN")
            return connection.backendPID
        }
        #expect(pool.statistics.discardedTotal == 1)
        let secondPID = try await pool.withConnection { $0.backendPID }
        #expect(firstPID != secondPID)
        // A backend terminated by the server is noticed and replaced.
        let admin = try await PostgresConnection.connect(url)
        try await admin.query("SELECT pg_terminate_backend(\(secondPID))")
        try await Task.sleep(for: .milliseconds(200))
        let thirdPID = try await pool.withConnection { connection in
            try await connection.query("SELECT pg_backend_pid()")[0].decode(Int32.self, at: 0)
        }
        #expect(thirdPID != secondPID)
        await admin.close()
        await pool.shutdown()
    }

    @Test("the pool recovers when the server restarts mid-use")
    func serverRestart() async throws {
        let cluster = try TestDatabases.startThrowawayCluster(name: "restart")
        try await cluster.createDatabases(["app"])
        let pool = PostgresPool(.init(connectionString: cluster.connectionString(database: "app"), maximumConnections: 4))
        try await pool.query("CREATE TABLE t (id int)")
        // Several connections are open and idle when the server goes away.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in 0..<4 {
                group.addTask {
                    _ = try await pool.withConnection { connection in
                        try await connection.query("INSERT INTO t SELECT \(id) FROM pg_sleep(0.1)")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(pool.statistics.idle == 4)
        try cluster.stop()
        try cluster.start()
        let count = try await pool.query("SELECT count(*) FROM t")[0].decode(Int.self, at: 0)
        #expect(count == 4)
        #expect(pool.statistics.discardedTotal >= 1)
        await pool.shutdown()
        try cluster.stop(immediate: true)
    }

    @Test("LISTEN receives NOTIFY and resubscribes after its connection is killed")
    func listenNotify() async throws {
        let url = try await TestDatabases.shared.createDatabase()
        let listener = PostgresListener(connectionString: url)
        let stream = try await listener.notifications(channels: ["runs", "Mixed Case"])
        var iterator = stream.makeAsyncIterator()
        let sender = try await PostgresConnection.connect(url)
        try await sender.query("SELECT pg_notify('runs', \("first"))")
        let first = await iterator.next()
        #expect(first?.channel == "runs")
        #expect(first?.payload == "first")
        try await sender.query("SELECT pg_notify('Mixed Case', 'second')")
        #expect(await iterator.next()?.payload == "second")
        // Kill the listening backend; the listener reconnects and LISTENs again.
        try await sender.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()")
        var delivered: PostgresNotification?
        for attempt in 0..<50 {
            try await Task.sleep(for: .milliseconds(100))
            guard listener.reconnects >= 1 else { continue }
            try await sender.query("SELECT pg_notify('runs', \("after-\(attempt)"))")
            delivered = await iterator.next()
            break
        }
        #expect(delivered?.payload.hasPrefix("after-") == true)
        #expect(listener.reconnects >= 1)
        await listener.stop()
        await sender.close()
    }
}
