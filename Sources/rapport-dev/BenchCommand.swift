import ArgumentParser
import Foundation
import Postgres

/// `rapport-dev bench …`: benchmarks that run Rapport and its baseline in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a benchmark beside its baseline and print both and the ratio.",
        subcommands: [PostgresBench.self, ImportBench.self, AggregateBench.self, BenchAPICommand.self, GraphBench.self, DataverseBench.self]
    )
}

/// The libpq layer against psql's `\copy` and pgbench, on one throwaway cluster.
struct PostgresBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postgres",
        abstract: "COPY through the wrapper vs psql \\copy; pooled single-row SELECTs vs pgbench.")

    @Option(help: "Rows to COPY.") var rows = 1_000_000
    @Option(help: "Single-row SELECTs to run.") var queries = 20_000
    @Option(help: "Concurrent tasks (and pgbench clients).") var concurrency = 8
    @Option(help: "Runs of each side; the best is reported.") var repeats = 3
    @OptionGroup var table: BenchTable

    func run() async throws {
        let scratch = try ThrowawayCluster.start("bench")
        defer { scratch.stop() }
        let folder = scratch.folder
        try await scratch.cluster.createDatabases(["bench"])
        let url = scratch.cluster.connectionString(database: "bench")
        let binaries = try LocalCluster.locateBinaries()
        printLine("PostgreSQL benchmark, throwaway cluster (fsync off), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        try await benchCopy(url: url, binaries: binaries, scratch: folder)
        try await benchSelects(url: url, binaries: binaries, scratch: folder)
    }

    static let base = Date(timeIntervalSince1970: 1_700_000_000)

    private func benchCopy(url: String, binaries: URL, scratch: URL) async throws {
        let connection = try await PostgresConnection.connect(url)
        try await connection.execute(
            "CREATE UNLOGGED TABLE bench_copy (id bigint, account int, person int, address text, flag bool, at timestamptz)")
        // The same rows as a TSV file for psql, written before any timing starts.
        let tsv = scratch.deletingLastPathComponent().appendingPathComponent("rapport-bench-\(getpid()).tsv")
        defer { try? FileManager.default.removeItem(at: tsv) }
        FileManager.default.createFile(atPath: tsv.path, contents: nil)
        let file = try FileHandle(forWritingTo: tsv)
        var chunk: [UInt8] = []
        for id in 0..<rows {
            let row = Self.row(id)
            chunk.append(contentsOf: "\(row.id)\t\(row.account)\t\(row.person)\t\(row.address)\t\(row.flag ? "t" : "f")\t\(row.at.postgresText)\n".utf8)
            if chunk.count > 1 << 20 {
                try file.write(contentsOf: chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        try file.write(contentsOf: chunk)
        try file.close()

        // Both sides start from data in hand: psql from the file, the wrapper from memory.
        let generated = (0..<rows).map(Self.row)
        var wrapperBest = Double.infinity
        var psqlBest = Double.infinity
        for _ in 0..<repeats {
            try await connection.execute("TRUNCATE bench_copy")
            let started = ContinuousClock.now
            let copied = try await connection.copyFrom("COPY bench_copy FROM STDIN") { writer in
                for row in generated {
                    try await writer.writeRow(row.id, row.account, row.person, row.address, row.flag, row.at)
                }
            }
            wrapperBest = min(wrapperBest, (ContinuousClock.now - started).seconds)
            guard copied == rows else { throw ValidationError("wrapper copied \(copied) rows, not \(rows)") }

            try await connection.execute("TRUNCATE bench_copy")
            let psqlStarted = ContinuousClock.now
            let result = try ChildProcess.run([
                binaries.appendingPathComponent("psql").path, "-X", "-q", "-v", "ON_ERROR_STOP=1", url,
                "-c", "\\copy bench_copy FROM '\(tsv.path)'",
            ])
            psqlBest = min(psqlBest, (ContinuousClock.now - psqlStarted).seconds)
            guard result.status == 0 else { throw ValidationError("psql failed: \(result.output)") }
            let count = try await connection.query("SELECT count(*) FROM bench_copy")[0].decode(Int.self, at: 0)
            guard count == rows else { throw ValidationError("psql copied \(count) rows, not \(rows)") }
        }
        await connection.close()
        let wrapperRate = Double(rows) / wrapperBest
        let psqlRate = Double(rows) / psqlBest
        printLine(String(format: "COPY %d rows × 6 columns   wrapper %10.0f rows/s   psql \\copy %10.0f rows/s   ratio %.2f× (goal ≥ 0.90×)",
                     rows, wrapperRate, psqlRate, wrapperRate / psqlRate))
        try table.append(.init(
            stage: "COPY, 6 columns", size: "\(BenchTable.count(rows)) rows, best of \(repeats)",
            rapport: BenchTable.rate(wrapperRate, "rows"), baseline: "psql `\\copy`: " + BenchTable.rate(psqlRate, "rows"),
            ratio: BenchTable.ratio(wrapperRate / psqlRate), goal: "≥ 0.9×"))
    }

    private func benchSelects(url: String, binaries: URL, scratch: URL) async throws {
        let setup = try await PostgresConnection.connect(url)
        try await setup.execute("CREATE TABLE bench_lookup (id int PRIMARY KEY, name text NOT NULL)")
        try await setup.execute("INSERT INTO bench_lookup SELECT g, 'account ' || g FROM generate_series(1, 100000) g")
        try await setup.execute("VACUUM ANALYZE bench_lookup")
        await setup.close()

        let script = scratch.deletingLastPathComponent().appendingPathComponent("rapport-bench-\(getpid()).pgbench")
        try "\\set id random(1, 100000)\nSELECT name FROM bench_lookup WHERE id = :id;\n".write(
            to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }

        let pool = PostgresPool(.init(connectionString: url, maximumConnections: concurrency, name: "bench"))
        var poolBest = 0.0
        var pgbenchBest = 0.0
        let perTask = queries / concurrency
        for _ in 0..<repeats {
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<concurrency {
                    group.addTask {
                        var generator = SystemRandomNumberGenerator()
                        for _ in 0..<perTask {
                            let id = Int32.random(in: 1...100_000, using: &generator)
                            let name = try await pool.withConnection { connection in
                                try await connection.query("SELECT name FROM bench_lookup WHERE id = \(id)")[0].decode(String.self, at: 0)
                            }
                            guard name == "account \(id)" else { throw ValidationError("wrong row for \(id) in task \(task)") }
                        }
                    }
                }
                try await group.waitForAll()
            }
            poolBest = max(poolBest, Double(perTask * concurrency) / (ContinuousClock.now - started).seconds)

            let result = try ChildProcess.run([
                binaries.appendingPathComponent("pgbench").path, "-n", "-M", "extended", "-c", "\(concurrency)",
                "-j", "\(min(concurrency, ProcessInfo.processInfo.activeProcessorCount))", "-t", "\(perTask)",
                "-f", script.path, url,
            ])
            guard result.status == 0, let tps = Self.pgbenchTPS(result.output) else {
                throw ValidationError("pgbench failed: \(result.output)")
            }
            pgbenchBest = max(pgbenchBest, tps)
        }
        await pool.shutdown()
        printLine(String(format: "SELECT by key ×%d, %d tasks  pool    %10.0f q/s      pgbench     %10.0f q/s      ratio %.2f×",
                     perTask * concurrency, concurrency, poolBest, pgbenchBest, poolBest / pgbenchBest))
        try table.append(.init(
            stage: "single-row SELECT through the pool", size: "\(BenchTable.count(perTask * concurrency)) queries, \(concurrency) tasks",
            rapport: BenchTable.rate(poolBest, "q"), baseline: "pgbench `-M extended -c \(concurrency)`: " + BenchTable.rate(pgbenchBest, "q"),
            ratio: BenchTable.ratio(poolBest / pgbenchBest), goal: "—"))
    }

    static func pgbenchTPS(_ output: String) -> Double? {
        for line in output.split(separator: "\n") where line.hasPrefix("tps = ") {
            let number = line.dropFirst(6).prefix { $0.isNumber || $0 == "." }
            return Double(number)
        }
        return nil
    }

    struct BenchRow {
        var id: Int
        var account: Int32
        var person: Int32
        var address: String
        var flag: Bool
        var at: Date
    }

    static func row(_ id: Int) -> BenchRow {
        BenchRow(
            id: id, account: Int32(id % 100_000), person: Int32(id % 250_000),
            address: "person\(id % 250_000)@account\(id % 100_000).example", flag: id % 7 == 0,
            at: base.addingTimeInterval(Double(id % 31_536_000)))
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
