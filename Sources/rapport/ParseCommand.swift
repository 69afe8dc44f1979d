import ArgumentParser
import Engagement
import Foundation
import Ingest

/// `rapport parse`: prints every activity record in files, one JSON object per line.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Print the activity records in mail, calendar, Graph and NDJSON files, one JSON object per line.",
        discussion: """
        Files: .mbox (mboxo/mboxrd), .eml (and .txt/.raw messages), folders of them, \
        .ics calendars, .json Microsoft Graph pages, .ndjson/.jsonl push batches; other names \
        are recognized by their content. Meetings are expanded into occurrences overlapping \
        [--from, --to) (default: the year before now). A file that cannot be read is reported \
        on stderr and the others are still parsed; the exit status is 1 if anything failed. \
        The output format is described in docs/ingest.md.
        """
    )

    @Option(name: .long, help: "Start of the meeting window (RFC 3339 or YYYY-MM-DD, UTC). Default: one year before --to.")
    var from: String?

    @Option(name: .long, help: "End of the meeting window, exclusive (RFC 3339 or YYYY-MM-DD, UTC). Default: now.")
    var to: String?

    @Argument(help: "Files or folders to parse.")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("Name at least one file.") }
        _ = try window()
    }

    func window() throws -> TimeWindow {
        func date(_ s: String?, _ name: String) throws -> Date? {
            guard let s else { return nil }
            guard let secs = RFC3339.parse(s) else { throw ValidationError("--\(name) \(s.debugDescription) is not an RFC 3339 date-time or YYYY-MM-DD.") }
            return Date(timeIntervalSince1970: TimeInterval(secs))
        }
        let end = try date(to, "to") ?? Date()
        let start = try date(from, "from") ?? end.addingTimeInterval(-365 * 86400)
        guard start < end else { throw ValidationError("--from must be before --to.") }
        return TimeWindow(from: start, to: end)
    }

    func run() throws {
        let reader = ActivityFileReader(window: try window())
        var out = OutputBuffer(fd: 1)
        var failed = false
        for path in files {
            do throws(IngestError) {
                try reader.read(path: path, record: { out.write($0) }, problem: { error in
                    failed = true
                    out.flush()
                    ParseDiagnostics.report(error, path: path)
                })
            } catch {
                failed = true
                out.flush()
                ParseDiagnostics.report(error, path: path)
            }
        }
        out.flush()
        if failed { throw ExitCode(1) }
    }
}

/// Writes `rapport parse` errors to stderr, one line each, naming the file.
enum ParseDiagnostics {
    static func report(_ error: IngestError, path: String) {
        var e = error
        if e.file == nil { e.file = path }
        FileHandle.standardError.write(Data("rapport parse: \(e)\n".utf8))
    }
}

/// Buffers JSON lines and writes them to a file descriptor in large blocks.
struct OutputBuffer {
    let fd: Int32
    var bytes: [UInt8] = []

    init(fd: Int32) {
        self.fd = fd
        bytes.reserveCapacity(1 << 20)
    }

    mutating func write(_ record: ActivityRecord) {
        ActivityJSONLine.append(record, to: &bytes)
        if bytes.count >= 1 << 20 { flush() }
    }

    mutating func flush() {
        var off = 0
        bytes.withUnsafeBytes { raw in
            while off < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + off, raw.count - off)
                if n <= 0 {
                    if errno == EINTR { continue }
                    break  // stdout closed (e.g. `| head`): drop the rest
                }
                off += n
            }
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
