import ArgumentParser
import Engagement
import Foundation
import Ingest

/// `rapport-dev parse-bench`: times the Ingest parsers on one file, for `scripts/ingest/bench.py`.
struct ParseBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse-bench",
        abstract: "Time an Ingest parser on one file and print the figures as one JSON object.",
        discussion: "mbox: header-only parse of every message. ics: parse and expand into [--from, --to). ndjson: parse every record. Build with -c release."
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case mbox, ics, ndjson
    }

    @Argument(help: "mbox, ics or ndjson.")
    var kind: Kind

    @Argument(help: "The file to parse.")
    var file: String

    @Option(help: "Window start for ics (RFC 3339 or YYYY-MM-DD).")
    var from: String = "2025-01-01"

    @Option(help: "Window end for ics.")
    var to: String = "2026-01-01"

    @Option(help: "Runs; the fastest is reported.")
    var runs: Int = 1

    func run() throws {
        var best = Double.infinity
        var count = 0
        for _ in 0..<max(runs, 1) {
            let started = DispatchTime.now().uptimeNanoseconds
            count = try once()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            best = min(best, seconds)
        }
        let rate = Double(count) / best
        print(#"{"kind":"\#(kind.rawValue)","records":\#(count),"seconds":\#(String(format: "%.4f", best)),"records_per_second":\#(String(format: "%.0f", rate))}"#)
    }

    func once() throws -> Int {
        switch kind {
        case .mbox:
            let fd = open(file, O_RDONLY)
            guard fd >= 0 else { throw ValidationError("cannot open \(file)") }
            defer { close(fd) }
            var n = 0
            var withFrom = 0
            try MboxReader().forEachMessage(fileDescriptor: fd) { header in
                let e = MailMessageParser.parse(header)
                n += 1
                if e.from != nil { withFrom += 1 }
            }
            return n
        case .ics:
            guard let f = RFC3339.parse(from), let t = RFC3339.parse(to) else { throw ValidationError("bad --from/--to") }
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
            let window = TimeWindow(from: Date(timeIntervalSince1970: TimeInterval(f)), to: Date(timeIntervalSince1970: TimeInterval(t)))
            return ICalendarParser.meetings(bytes, window: window).count
        case .ndjson:
            let reader = ActivityFileReader(window: .yearBefore(Date()))
            var n = 0
            var bad = 0
            do throws(IngestError) {
                try reader.read(path: file, record: { _ in n += 1 }, problem: { _ in bad += 1 })
            } catch {
                throw ValidationError("\(error)")
            }
            if bad > 0 { FileHandle.standardError.write(Data("parse-bench: \(bad) bad lines\n".utf8)) }
            return n
        }
    }
}
