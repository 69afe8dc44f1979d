#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Ingest

/// `LineSplitter` fed in chunks must give the lines, or the error, of a plain split of the whole stream.
enum LineSplitterCheck {
    /// Where each line lies in the stream, and the line `LineTooLong` names, if any.
    struct Outcome: Equatable {
        var lines: [Range<Int>] = []
        var tooLong: Int?
    }

    static func check<Chunk: Collection<UInt8>>(_ chunks: [Chunk], limit: Int) {
        var stream: [UInt8] = []
        for chunk in chunks { stream += chunk }
        let expected = reference(stream, limit: limit)
        var splitter = LineSplitter(maximumLineLength: limit)
        var count = 0
        var tooLong: Int?
        func take(_ line: (number: Int, bytes: ArraySlice<UInt8>)) {
            guard line.number == count + 1, count < expected.lines.count, same(line.bytes, stream[expected.lines[count]]) else {
                fatalError("split in \(FuzzInput.describe(chunks)) with limit \(limit): line \(line.number) (\(line.bytes.count) bytes) after \(count) lines is not the reference's")
            }
            count += 1
        }
        do throws(LineSplitter.LineTooLong) {
            for chunk in chunks {
                splitter.append(chunk)
                while let line = try splitter.nextLine() { take(line) }
            }
            if let line = try splitter.finish() { take(line) }
        } catch {
            guard error.limit == limit else { fatalError("\(error) for a limit of \(limit)") }
            tooLong = error.line
        }
        guard count == expected.lines.count, tooLong == expected.tooLong else {
            fatalError("""
                split in \(FuzzInput.describe(chunks)) with limit \(limit): \(count) lines, \(tooLong.map { "line \($0) too long" } ?? "no error"); \
                expected \(expected.lines.count) lines, \(expected.tooLong.map { "line \($0) too long" } ?? "no error")
                """)
        }
    }

    /// Lines end at `\n`, less one `\r` before it; a last line without `\n` keeps all its bytes.
    static func reference(_ bytes: [UInt8], limit: Int) -> Outcome {
        var outcome = Outcome()
        var start = 0
        func add(_ line: Range<Int>) -> Bool {
            guard line.count <= limit else {
                outcome.tooLong = outcome.lines.count + 1
                return false
            }
            outcome.lines.append(line)
            return true
        }
        while let index = newline(in: bytes, from: start) {
            var end = index
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            guard add(start..<end) else { return outcome }
            start = index + 1
        }
        if start < bytes.count { _ = add(start..<bytes.count) }
        return outcome
    }

    /// The next `\n` from `start`, by libc's memchr: uninstrumented, it keeps long inputs fast.
    static func newline(in bytes: [UInt8], from start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        return bytes.withUnsafeBytes { buffer in
            memchr(buffer.baseAddress! + start, Int32(UInt8(ascii: "\n")), buffer.count - start).map { buffer.baseAddress!.distance(to: $0) }
        }
    }

    /// Byte equality by libc's memcmp, for the same reason.
    static func same(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
        a.count == b.count && a.withUnsafeBytes { a in b.withUnsafeBytes { b in a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 } }
    }
}
