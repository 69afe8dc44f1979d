import Foundation
import Postgres
import TestSupport
import Testing

@Suite("make bench's summary table")
struct BenchTableTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func render(_ rows: URL) throws -> ChildProcess.Result {
        try ChildProcess.run(["/usr/bin/env", "python3", repository.appendingPathComponent("scripts/bench/table.py").path, rows.path, "--scale", "test"])
    }

    @Test("a tiny `rapport-dev bench postgres --table-rows` writes its two rows, and table.py renders them")
    func postgresRows() async throws {
        let rows = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("rapport-bench-rows-\(UUID().uuidString.prefix(8)).tsv")
        defer { try? FileManager.default.removeItem(at: rows) }
        let bench = try await RapportExecutable.runDev(
            ["bench", "postgres", "--rows", "2000", "--queries", "80", "--concurrency", "2", "--repeats", "1", "--table-rows", rows.path])
        #expect(bench.status == 0, "\(bench.output)")
        #expect(bench.output.contains("COPY 2000 rows"), "the human-readable report is still printed")

        let lines = try String(contentsOf: rows, encoding: .utf8).split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        try #require(lines.count == 2, "\(lines)")
        #expect(lines.allSatisfy { $0.count == 6 })
        #expect(lines[0].first == "COPY, 6 columns" && lines[0][1] == "2,000 rows, best of 1" && lines[0][5] == "≥ 0.9×")
        #expect(lines[0][4].wholeMatch(of: /\d+\.\d\d×/) != nil, "ratio \(lines[0][4])")
        #expect(lines[1].first == "single-row SELECT through the pool" && lines[1][1] == "80 queries, 2 tasks")

        let table = try Self.render(rows)
        #expect(table.status == 0, "\(table.output)")
        let markdown = table.output.split(separator: "\n").filter { $0.hasPrefix("|") }
        #expect(markdown.count == 4, "\(table.output)")
        #expect(markdown.first == "| stage | size | Rapport | baseline | ratio | goal |")
        #expect(markdown[2].hasPrefix("| COPY, 6 columns | 2,000 rows, best of 1 | ") && markdown[2].hasSuffix(" | ≥ 0.9× |"))
    }

    @Test("table.py escapes a | inside a cell, fills empty cells with —, and refuses a row of the wrong width")
    func renderer() async throws {
        let rows = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("rapport-bench-rows-\(UUID().uuidString.prefix(8)).tsv")
        defer { try? FileManager.default.removeItem(at: rows) }
        try "a | b\t1 row\t\t2 s\t—\t≥ 1×\n".write(to: rows, atomically: true, encoding: .utf8)
        let table = try Self.render(rows)
        #expect(table.status == 0, "\(table.output)")
        #expect(table.output.contains("\n| a \\| b | 1 row | — | 2 s | — | ≥ 1× |\n"), "\(table.output)")

        try "only\tfive\tfields\there\t.\n".write(to: rows, atomically: true, encoding: .utf8)
        let refused = try Self.render(rows)
        #expect(refused.status != 0)
        #expect(refused.output.contains("5 fields, not 6"), "\(refused.output)")
    }
}
