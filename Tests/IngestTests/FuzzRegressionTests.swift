import Engagement
import Foundation
import Testing
@testable import Ingest

/// Replays the fuzzers' seeds and every crasher they ever found (`Fixtures/crashers/<target>/`) through the parsers.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func files(_ folders: [String]) -> [URL] {
        folders.flatMap { folder -> [URL] in
            let dir = fixtures.appendingPathComponent(folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            return names.filter { !$0.hasPrefix(".") }.sorted().map { dir.appendingPathComponent($0) }
        }
    }

    static let window = TimeWindow(from: Date(timeIntervalSince1970: 946_684_800), to: Date(timeIntervalSince1970: 1_262_304_000))

    @Test(arguments: files(["crashers/Mail", "seeds/mail"]))
    func mail(_ file: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: file))
        _ = MailMessageParser.parse(bytes)
        try MboxReader(chunkSize: 64, maxHeaderBytes: 256).forEachMessage(in: bytes) { _ = MailMessageParser.parse($0) }
    }

    @Test(arguments: files(["crashers/ICal", "seeds/ical"]))
    func icalendar(_ file: URL) throws {
        _ = ICalendarParser.meetings([UInt8](try Data(contentsOf: file)), window: Self.window)
    }

    @Test(arguments: files(["crashers/Graph", "seeds/graph"]))
    func graph(_ file: URL) throws {
        _ = try? GraphPageParser.parse([UInt8](try Data(contentsOf: file)))
    }

    @Test(arguments: files(["crashers/NDJSON", "seeds/ndjson"]))
    func ndjson(_ file: URL) throws {
        _ = NDJSONParser.parse([UInt8](try Data(contentsOf: file)))
    }

    @Test(arguments: files(["crashers/CSV", "seeds/csv"]))
    func csv(_ file: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: file))
        _ = try? CRMCSVParser.accounts(bytes)
        _ = try? CRMCSVParser.contacts(bytes)
    }

    @Test(arguments: files(["crashers/Segment", "seeds/segment"]))
    func segment(_ file: URL) throws {
        let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
        let parse = { Result { () throws(SegmentSyntaxError) in try SegmentExpression.parse(text) } }
        #expect(parse() == parse())
    }

    /// The body of a `FuzzLineSplitter` input, past its settings and chunk sizes (see `FuzzInput`), split and inflated in
    /// every cut and limit below: the fuzzer's own checks, over a range of settings rather than the one the file chose.
    @Test(arguments: files(["crashers/LineSplitter", "seeds/linesplitter"]))
    func lineSplitter(_ file: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: file))
        let body = Array(bytes.dropFirst(2 + Int((bytes.count > 1 ? bytes[1] : 0) & 0x07)))
        for limit in [0, 1, 2, 3, 4, 7, 8, 16, 64, 4096] {
            let expected = Self.referenceLines(body, limit: limit)
            for size in [1, 2, 3, 5, 8, max(body.count, 1)] {
                #expect(Self.splitLines(Self.cut(body, size), limit: limit) == expected, "limit \(limit), chunks of \(size)")
            }
        }
        let whole = Self.inflate(Self.cut(body, max(body.count, 1)), capacity: 65_536)
        for (size, capacity) in [(1, 1), (7, 100), (3, 4096)] {
            let cut = Self.inflate(Self.cut(body, size), capacity: capacity)
            #expect(cut.bytes == whole.bytes && cut.failed == whole.failed || cut.failed && whole.failed, "chunks of \(size)")
        }
    }

    static func cut(_ bytes: [UInt8], _ size: Int) -> [ArraySlice<UInt8>] {
        stride(from: 0, to: bytes.count, by: size).map { bytes[$0..<min($0 + size, bytes.count)] }
    }

    /// Lines end at `\n`, less one `\r` before it; the number of the first line over the limit ends the list.
    static func referenceLines(_ bytes: [UInt8], limit: Int) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var rest = bytes[...]
        while !rest.isEmpty {
            let newline = rest.firstIndex(of: UInt8(ascii: "\n"))
            var line = rest[..<(newline ?? rest.endIndex)]
            if newline != nil, line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            guard line.count <= limit else { return lines + [Array("too long: \(lines.count + 1)".utf8)] }
            lines.append(Array(line))
            rest = newline.map { rest[($0 + 1)...] } ?? []
        }
        return lines
    }

    static func splitLines(_ chunks: [ArraySlice<UInt8>], limit: Int) -> [[UInt8]] {
        var splitter = LineSplitter(maximumLineLength: limit)
        var lines: [[UInt8]] = []
        do {
            for chunk in chunks {
                splitter.append(chunk)
                while let line = try splitter.nextLine() { lines.append(Array(line.bytes)) }
            }
            if let line = try splitter.finish() { lines.append(Array(line.bytes)) }
        } catch {
            lines.append(Array("too long: \(error.line)".utf8))
        }
        return lines
    }

    static func inflate(_ chunks: [ArraySlice<UInt8>], capacity: Int) -> (bytes: [UInt8], failed: Bool) {
        let inflater = GzipInflater()
        var bytes: [UInt8] = []
        do {
            for chunk in chunks {
                inflater.feed(chunk)
                while let piece = try inflater.nextPiece(capacity: capacity) {
                    #expect(piece.count <= capacity)
                    bytes += piece
                }
            }
            try inflater.finish()
            return (bytes, false)
        } catch {
            return (bytes, true)
        }
    }

    @Test func seedsParseAsExpected() throws {
        let ics = [UInt8](try Data(contentsOf: Self.fixtures.appendingPathComponent("seeds/ical/sample.ics")))
        let year = TimeWindow(from: Date(timeIntervalSince1970: 1_704_067_200), to: Date(timeIntervalSince1970: 1_735_689_600))
        let ms = ICalendarParser.meetings(ics, window: year)
        #expect(ms.filter { $0.uid == "monthly-2" }.count == 12)
        #expect(ms.contains { $0.uid == "weekly-1" && $0.cancelled })
        let graph = try GraphPageParser.parse([UInt8](try Data(contentsOf: Self.fixtures.appendingPathComponent("seeds/graph/events.json"))))
        #expect(graph.records.count == 3)
    }
}
