import Engagement
import Foundation
import Testing
@testable import Ingest

@Suite("File kinds and folders")
struct ActivityFileReaderTests {
    @Test func sniffing() {
        #expect(ActivityFileKind.sniff(Array("\u{FEFF}BEGIN:VCALENDAR\r\n".utf8)) == .icalendar)
        #expect(ActivityFileKind.sniff(Array("{\"kind\":\"email\"}\n{".utf8)) == .ndjson)
        #expect(ActivityFileKind.sniff(Array("{\"value\":[\n".utf8)) == .graphJSON)
        #expect(ActivityFileKind.sniff(Array("From a@b Fri May  4 14:05:44 2001\n".utf8)) == .mbox)
        #expect(ActivityFileKind.sniff(Array("Return-Path: <a@b>\n".utf8)) == .eml)
        #expect(ActivityFileKind.sniff(Array("\u{0}\u{1}binary".utf8)) == nil)
        #expect(ActivityFileKind.byExtension("/x/y.Mbox") == .mbox)
        #expect(ActivityFileKind.byExtension("/x.d/y") == nil)
    }

    @Test func folderWithMixedFilesAndOneBadFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-ingest-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("From: a@x.org\nTo: b@y.org\n\nbody".utf8).write(to: dir.appendingPathComponent("1.eml"))
        try Data("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:u\nDTSTART:20240101T100000Z\nEND:VEVENT\nEND:VCALENDAR\n".utf8).write(to: dir.appendingPathComponent("2.ics"))
        try Data("{\"kind\":\"email\",\"from\":\"c@x.org\"}\n{\"kind\":\"email\",\"from\":3}\n".utf8).write(to: dir.appendingPathComponent("3.ndjson"))
        try Data([0, 1, 2, 3]).write(to: dir.appendingPathComponent("4.bin"))
        try Data("From: hidden@x.org\n\n".utf8).write(to: dir.appendingPathComponent(".hidden.eml"))
        let reader = ActivityFileReader(window: TimeWindow(from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: 2_000_000_000)))
        var records: [ActivityRecord] = []
        var problems: [IngestError] = []
        try reader.read(path: dir.path, record: { records.append($0) }, problem: { problems.append($0) })
        #expect(records.count == 3)
        #expect(problems.count == 2)
        #expect(problems.map(\.line) == [2, nil])
        #expect(problems.allSatisfy { $0.file != nil })
        #expect(throws: IngestError.self) { try reader.read(path: dir.path + "/missing", record: { _ in }, problem: { _ in }) }
    }

    @Test func ndjsonStreamCountsLinesAcrossChunks() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-\(UUID()).ndjson").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var text = ""
        for k in 1...500 { text += k == 321 ? "{bad\n" : "{\"kind\":\"email\",\"from\":\"u\(k)@x.org\"}\n" }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        var lines: [Int] = []
        try NDJSONStream.forEachLine(fd: fd, chunkSize: 100) { n, _ in lines.append(n) }
        #expect(lines == Array(1...500))
    }
}
