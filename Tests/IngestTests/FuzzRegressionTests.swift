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
