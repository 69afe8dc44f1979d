import ArgumentParser
import Foundation

/// `--table-rows FILE`: where a benchmark appends its rows of the summary table that `make bench` prints.
///
/// One tab-separated line per row: stage, size, Rapport, baseline, ratio, goal.
/// Without the option, `RAPPORT_BENCH_TABLE` names the file; with neither, nothing is written.
/// `scripts/bench/table.py` renders the collected rows as one Markdown table.
struct BenchTable: ParsableArguments {
    @Option(name: .customLong("table-rows"), help: "Append this benchmark's summary rows (TSV) to FILE (default: $RAPPORT_BENCH_TABLE).")
    var file: String?

    /// One row of the table; each field is one cell's text.
    struct Row {
        var stage: String
        var size: String
        var rapport: String
        var baseline: String
        var ratio: String
        var goal: String
    }

    var path: String? { file ?? ProcessInfo.processInfo.environment["RAPPORT_BENCH_TABLE"].flatMap { $0.isEmpty ? nil : $0 } }

    /// Appends the rows; tabs and line breaks inside a cell become spaces.
    func append(_ rows: Row...) throws {
        guard let path else { return }
        let text = rows.map { row in
            [row.stage, row.size, row.rapport, row.baseline, row.ratio, row.goal]
                .map { $0.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }
                .joined(separator: "\t") + "\n"
        }.joined()
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw BenchError("cannot write the table rows to \(path)") }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    /// 1234567 → "1,234,567".
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// A rate with a unit: "1.09 M rows/s", "17.3 k q/s", "812 req/s".
    static func rate(_ perSecond: Double, _ unit: String) -> String {
        switch perSecond {
        case 1e6...: String(format: "%.2f M ", perSecond / 1e6) + unit + "/s"
        case 1e4...: String(format: "%.1f k ", perSecond / 1e3) + unit + "/s"
        default: "\(count(Int(perSecond.rounded()))) \(unit)/s"
        }
    }

    /// "0.91×".
    static func ratio(_ value: Double) -> String { String(format: "%.2f×", value) }

    /// "12.3 s".
    static func seconds(_ value: Double) -> String { String(format: value < 10 ? "%.2f s" : "%.1f s", value) }
}
