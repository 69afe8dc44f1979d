#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Engagement
import Foundation

/// Reads activity records from files and folders of any supported kind: what `rapport parse` runs.
///
/// The kind comes from the extension (`ActivityFileKind.byExtension`), else
/// from the content (`ActivityFileKind.sniff`). mbox and NDJSON are
/// streamed in constant memory; a single message reads its header block
/// only; iCalendar files and Graph pages (at most `maxDocumentBytes`) are
/// read whole. A folder is read recursively in name order, skipping hidden
/// entries; a file inside it that fails is reported through `problem` and
/// the others are still read.
public struct ActivityFileReader: Sendable {
    public var window: TimeWindow
    public var maxDocumentBytes = 512 << 20

    public init(window: TimeWindow) {
        self.window = window
    }

    /// Reads one path; throws when the path itself cannot be read at all.
    ///
    /// `problem` receives errors that spoil only part of it: a bad NDJSON
    /// line, a file in a folder.
    public func read(
        path: String, record: (ActivityRecord) -> Void, problem: (IngestError) -> Void
    ) throws(IngestError) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw IngestError(.unreadable, "no such file or folder", file: path)
        }
        if isDir.boolValue {
            try readFolder(path, record: record, problem: problem)
            return
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw IngestError(.unreadable, String(cString: strerror(errno)), file: path) }
        defer { close(fd) }
        var kind = ActivityFileKind.byExtension(path)
        if kind == nil {
            var head = [UInt8](repeating: 0, count: 4096)
            let n = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 4096, 0) }
            guard n >= 0 else { throw IngestError(.unreadable, String(cString: strerror(errno)), file: path) }
            kind = ActivityFileKind.sniff(Array(head.prefix(n)))
        }
        guard let kind else { throw IngestError(.unknownFormat, "not an mbox, message, iCalendar, Graph JSON or NDJSON file", file: path) }
        do throws(IngestError) {
            try read(fd: fd, kind: kind, record: record, problem: { problem($0.inFile(path)) })
        } catch {
            throw error.file == nil ? error.inFile(path) : error
        }
    }

    func read(fd: Int32, kind: ActivityFileKind, record: (ActivityRecord) -> Void, problem: (IngestError) -> Void) throws(IngestError) {
        switch kind {
        case .mbox, .eml:
            do {
                try MboxReader().forEachMessage(fileDescriptor: fd, singleMessage: kind == .eml) { header in
                    record(.email(MailMessageParser.parse(header)))
                }
            } catch let e as IngestError {
                throw e
            } catch {
                throw IngestError(.unreadable, "\(error)")
            }
        case .icalendar:
            let bytes = try readAll(fd)
            for m in ICalendarParser.meetings(bytes, window: window) { record(.meeting(m)) }
        case .graphJSON:
            let bytes = try readAll(fd)
            let page = try GraphPageParser.parse(bytes, window: window)
            for r in page.records { record(r) }
        case .ndjson:
            try NDJSONStream.forEachLine(fd: fd) { n, line in
                do throws(IngestError) { record(try NDJSONParser.record(line, line: n)) } catch { problem(error) }
            }
        case .folder:
            break
        }
    }

    func readAll(_ fd: Int32) throws(IngestError) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw IngestError(.unreadable, String(cString: strerror(errno)))
            }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
            if out.count > maxDocumentBytes { throw IngestError(.unreadable, "larger than \(maxDocumentBytes) bytes") }
        }
    }

    func readFolder(_ path: String, record: (ActivityRecord) -> Void, problem: (IngestError) -> Void) throws(IngestError) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            throw IngestError(.unreadable, "cannot list the folder: \(error.localizedDescription)", file: path)
        }
        for name in names {
            let child = path.hasSuffix("/") ? path + name : path + "/" + name
            do throws(IngestError) {
                try read(path: child, record: record, problem: problem)
            } catch {
                problem(error)
            }
        }
    }
}

/// Reads an NDJSON file line by line in constant memory.
enum NDJSONStream {
    static func forEachLine(fd: Int32, chunkSize: Int = 4 << 20, _ body: (Int, UnsafeRawBufferPointer) -> Void) throws(IngestError) {
        var buf = [UInt8](repeating: 0, count: chunkSize)
        var have = 0
        var lineNumber = 1
        var eof = false
        while !eof {
            if have == buf.count { buf += [UInt8](repeating: 0, count: buf.count) }  // a line longer than the buffer
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + have, $0.count - have) }
            if n < 0 {
                if errno == EINTR { continue }
                throw IngestError(.unreadable, String(cString: strerror(errno)))
            }
            if n == 0 { eof = true } else { have += n }
            // Hand over every complete line; keep the partial tail.
            let consumed: Int = buf.withUnsafeBytes { raw in
                var lastNL = -1
                if eof {
                    lastNL = have
                } else {
                    var k = have - 1
                    while k >= 0, raw[k] != 0x0A { k -= 1 }
                    lastNL = k
                }
                guard lastNL >= 0 else { return 0 }
                let part = UnsafeRawBufferPointer(rebasing: raw[0..<lastNL])
                let next = NDJSONParser.forEachLine(in: part, firstLine: lineNumber) { n, line in body(n, line) }
                lineNumber = next + (eof ? 0 : 1)
                return min(lastNL + 1, have)
            }
            if consumed > 0 {
                buf.withUnsafeMutableBytes { raw in
                    if have > consumed { memmove(raw.baseAddress!, raw.baseAddress! + consumed, have - consumed) }
                }
                have -= consumed
            }
        }
    }
}
