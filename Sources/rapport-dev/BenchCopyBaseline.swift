import Foundation
import Generator
import Postgres

/// The import benchmark's baseline: psql `\copy` of a TSV into a table of `email_signal`'s columns, types and indexes.
enum BenchCopyBaseline {
    /// Writes `rows` rows shaped like stored email signals (uuid, uuid, bigint, text, timestamptz, bool,
    /// bigint[], bigint[], bigint[], bigint, bigint[]) as COPY text; returns the bytes written.
    static func writeTSV(rows: Int, accounts: Int, to url: URL, tenant: UUID, environment: UUID, asOf: Date) throws -> Int {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let file = try FileHandle(forWritingTo: url)
        defer { try? file.close() }
        var rng = SeededRandom(seed: 0xC0FF_EE)
        let accountIDs = (0..<max(1, accounts)).map { _ in rng.uuid() }
        let tenantText = tenant.uuidString.lowercased()
        let environmentText = environment.uuidString.lowercased()
        let start = asOf.timeIntervalSince1970 - 365 * 86_400
        var buffer: [UInt8] = []
        buffer.reserveCapacity(8 << 20)
        var bytes = 0
        func keys(_ count: Int) -> String {
            "{" + (0..<count).map { _ in String(Int64(bitPattern: rng.next())) }.joined(separator: ",") + "}"
        }
        for _ in 0..<rows {
            let at = Date(timeIntervalSince1970: start + Double(rng.below(365 * 86_400)))
            let line = "\(tenantText)\t\(environmentText)\t\(Int64(bitPattern: rng.next()))\t\(accountIDs[rng.below(accountIDs.count)])\t"
                + "\(at.postgresText)\t\(rng.chance(0.55) ? "t" : "f")\t\(keys(1 + rng.below(2)))\t\(keys(1 + rng.below(3)))\t"
                + "\(keys(rng.below(2)))\t\\N\t\(keys(1 + rng.below(2)))\n"
            buffer.append(contentsOf: line.utf8)
            if buffer.count >= 4 << 20 {
                try file.write(contentsOf: buffer)
                bytes += buffer.count
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try file.write(contentsOf: buffer)
        return bytes + buffer.count
    }

    /// Creates the target table (once) and times `psql -c "\copy …"`; returns the seconds.
    static func run(url: String, tsv: URL, table: String = "copy_baseline") async throws -> Double {
        let connection = try await PostgresConnection.connect(url)
        try await connection.execute("DROP TABLE IF EXISTS \(identifier: table)")
        try await connection.execute(
            "CREATE TABLE \(identifier: table) (LIKE email_signal INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)")
        await connection.close()
        let psql = try LocalCluster.locateBinaries().appendingPathComponent("psql").path
        let started = ContinuousClock.now
        let result = try ChildProcess.run([psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", "\\copy \(table) FROM '\(tsv.path)'"])
        let seconds = (ContinuousClock.now - started).seconds
        guard result.status == 0 else { throw BenchError("psql \\copy failed: \(result.output.prefix(2000))") }
        return seconds
    }
}
