#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the header blocks of the messages of an mbox file, in constant memory.
///
/// The file is read with `read(2)` in large chunks into one buffer; bodies
/// are skipped by searching for the next separator only, never decoded.
/// mboxo and mboxrd read the same way (body quoting does not matter when
/// bodies are skipped); LF and CRLF line ends both work.
///
/// A separator is a line beginning `From ` whose rest looks like an mbox
/// envelope: a sender word, then a time `h:mm` somewhere after it
/// (`From MAILER-DAEMON Fri Jul  8 12:08:34 2011`). A body line beginning
/// `From ` that was not quoted (`From the desk of ...`) is not a separator
/// unless it also carries a time. The first message may lack the envelope.
/// A header block longer than `maxHeaderBytes` is cut there.
public struct MboxReader {
    public var chunkSize: Int
    public var maxHeaderBytes: Int

    public init(chunkSize: Int = 4 << 20, maxHeaderBytes: Int = 1 << 20) {
        self.chunkSize = max(chunkSize, 64)
        self.maxHeaderBytes = max(maxHeaderBytes, 64)
    }

    /// Calls `body` with the header bytes of each message of the open file, in order.
    ///
    /// With `singleMessage`, stops after the first header block (an `.eml`).
    public func forEachMessage(
        fileDescriptor fd: Int32, singleMessage: Bool = false,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var source = FileSource(fd: fd)
        try run(&source, singleMessage: singleMessage, body)
    }

    /// Calls `body` with the header bytes of each message in an in-memory mbox.
    public func forEachMessage(
        in bytes: [UInt8], singleMessage: Bool = false,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var source = MemorySource(bytes: bytes)
        try run(&source, singleMessage: singleMessage, body)
    }

    func run<S: ByteSource>(_ source: inout S, singleMessage: Bool, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let capacity = chunkSize + maxHeaderBytes + 4096
        let buf = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buf.deallocate() }
        var end = 0  // bytes valid in buf
        var eof = false

        /// Drops bytes before `keep`, reads more; returns how far indices moved.
        func refill(keep: Int) throws -> Int {
            if keep > 0 {
                if end > keep { memmove(buf, buf + keep, end - keep) }
                end -= keep
            }
            while end < capacity && !eof {
                let n = try source.read(into: buf + end, count: capacity - end)
                if n == 0 { eof = true } else { end += n }
                if end - 0 >= chunkSize { break }
            }
            return keep
        }

        _ = try refill(keep: 0)
        var msgStart = 0
        // Skip leading empty lines.
        while msgStart < end, buf.load(fromByteOffset: msgStart, as: UInt8.self) == 0x0A
                || buf.load(fromByteOffset: msgStart, as: UInt8.self) == 0x0D { msgStart += 1 }
        if msgStart >= end && eof { return }

        messages: while true {
            // Header phase: find the empty line ending the header block.
            var cursor = msgStart
            var headerEnd = -1
            var bodyStart = -1
            var nextMessage = -1
            var firstLine = true
            headerScan: while true {
                // Need one full line at cursor.
                let nl = cursor < end ? memchr(buf + cursor, 0x0A, end - cursor) : nil
                if nl == nil && !eof && cursor - msgStart < maxHeaderBytes {
                    let before = end - msgStart
                    let moved = try refill(keep: msgStart)
                    msgStart -= moved; cursor -= moved
                    if end - msgStart > before || eof { continue headerScan }
                    // The buffer is full of one endless line: cut the header block here.
                    headerEnd = cursor
                    bodyStart = cursor
                    break headerScan
                }
                let lineEnd = nl.map { UnsafeMutableRawPointer($0) - buf } ?? end
                var contentEnd = lineEnd
                if contentEnd > cursor, buf.load(fromByteOffset: contentEnd - 1, as: UInt8.self) == 0x0D { contentEnd -= 1 }
                if contentEnd == cursor {
                    // Empty line (or end of data).
                    headerEnd = cursor
                    bodyStart = min(lineEnd + 1, end)
                    break headerScan
                }
                if !firstLine, isSeparator(buf, cursor, contentEnd) {
                    headerEnd = cursor
                    nextMessage = cursor
                    break headerScan
                }
                if cursor - msgStart >= maxHeaderBytes {
                    headerEnd = cursor
                    bodyStart = cursor
                    break headerScan
                }
                firstLine = false
                cursor = min(lineEnd + 1, end)
                if lineEnd >= end { headerEnd = end; bodyStart = end; break headerScan }
            }
            try body(UnsafeRawBufferPointer(start: buf + msgStart, count: headerEnd - msgStart))
            if singleMessage { return }
            if nextMessage >= 0 { msgStart = nextMessage; continue messages }

            // Body phase: search for "\nFrom " that starts a valid separator line.
            var pos = bodyStart - 1  // the '\n' ending the empty line
            if pos < 0 { pos = 0 }
            bodyScan: while true {
                if end - pos >= 6, let p = findFromLine(buf, pos, end) {
                    let lineStart = p + 1
                    let nl = memchr(buf + lineStart, 0x0A, end - lineStart)
                    if nl == nil && !eof {
                        if lineStart - p > 0 && end - lineStart > 4096 {
                            pos = lineStart  // absurd line: not a separator
                            continue bodyScan
                        }
                        let moved = try refill(keep: p)
                        pos = p - moved
                        continue bodyScan
                    }
                    var lineEnd = nl.map { UnsafeMutableRawPointer($0) - buf } ?? end
                    if lineEnd > lineStart, buf.load(fromByteOffset: lineEnd - 1, as: UInt8.self) == 0x0D { lineEnd -= 1 }
                    if isSeparator(buf, lineStart, lineEnd) {
                        msgStart = lineStart
                        continue messages
                    }
                    pos = lineStart
                    continue bodyScan
                }
                if eof { return }
                let keep = max(pos, end - 5)
                let moved = try refill(keep: keep)
                pos = keep - moved
                if end - pos < 6 && eof { return }
            }
        }
    }

    /// The offset of the next "\nFrom " in [from, end).
    func findFromLine(_ buf: UnsafeMutableRawPointer, _ from: Int, _ end: Int) -> Int? {
        #if canImport(Glibc)
        guard end - from >= 6 else { return nil }
        // memchr for 'F' is the fastest scan while capital Fs are rare (they are, in mail);
        // when they are not, glibc's memmem takes over.
        var i = from + 1
        var misses = 0
        while i + 5 <= end {
            guard let hit = memchr(buf + i, Int32(UInt8(ascii: "F")), end - i) else { return nil }
            let k = UnsafeMutableRawPointer(hit) - buf
            if k + 5 > end { return nil }
            let q = buf + k
            if (q - 1).load(as: UInt8.self) == 0x0A,
               q.load(fromByteOffset: 1, as: UInt8.self) == UInt8(ascii: "r"),
               q.load(fromByteOffset: 2, as: UInt8.self) == UInt8(ascii: "o"),
               q.load(fromByteOffset: 3, as: UInt8.self) == UInt8(ascii: "m"),
               q.load(fromByteOffset: 4, as: UInt8.self) == 0x20 {
                return k - 1
            }
            i = k + 1
            misses += 1
            if misses >= 64 && k - from < misses * 64 { break }
        }
        guard end - (i - 1) >= 6 else { return nil }
        return Self.needle.withUnsafeBytes { n in
            guard let hit = glibc_memmem(buf + (i - 1), end - (i - 1), n.baseAddress!, 6) else { return nil }
            return hit - UnsafeRawPointer(buf)
        }
        #else
        var i = from
        while i + 6 <= end {
            guard let nl = memchr(buf + i, 0x0A, end - i) else { return nil }
            let p = UnsafeMutableRawPointer(nl) - buf
            if p + 6 > end { return nil }
            let q = buf + p
            if q.load(fromByteOffset: 1, as: UInt8.self) == UInt8(ascii: "F"),
               q.load(fromByteOffset: 2, as: UInt8.self) == UInt8(ascii: "r"),
               q.load(fromByteOffset: 3, as: UInt8.self) == UInt8(ascii: "o"),
               q.load(fromByteOffset: 4, as: UInt8.self) == UInt8(ascii: "m"),
               q.load(fromByteOffset: 5, as: UInt8.self) == 0x20 {
                return p
            }
            i = p + 1
        }
        return nil
        #endif
    }

    static let needle: [UInt8] = Array("\nFrom ".utf8)

    /// Whether the line [start, end) is an mbox envelope line.
    func isSeparator(_ buf: UnsafeMutableRawPointer, _ start: Int, _ end: Int) -> Bool {
        let n = end - start
        guard n >= 8 else { return false }
        let p = UnsafeRawBufferPointer(start: buf + start, count: n)
        guard p[0] == UInt8(ascii: "F"), p[1] == UInt8(ascii: "r"), p[2] == UInt8(ascii: "o"),
              p[3] == UInt8(ascii: "m"), p[4] == 0x20
        else { return false }
        var i = 5
        while i < n, p[i] == 0x20 { i += 1 }
        let wordStart = i
        while i < n, p[i] != 0x20, p[i] != 0x09 { i += 1 }
        guard i > wordStart, i < n else { return false }
        // A time h:mm or hh:mm after the sender word.
        while i + 3 < n {
            if p[i + 1] == UInt8(ascii: ":"), isDigit(p[i]), isDigit(p[i + 2]), isDigit(p[i + 3]) { return true }
            i += 1
        }
        return false
    }

    @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
}

#if canImport(Glibc)
/// glibc's `memmem` (a GNU extension the Glibc module does not export).
@_silgen_name("memmem")
func glibc_memmem(_ haystack: UnsafeRawPointer, _ haystackLength: Int, _ needle: UnsafeRawPointer, _ needleLength: Int) -> UnsafeRawPointer?
#endif

/// Where `MboxReader` gets bytes from.
protocol ByteSource {
    mutating func read(into: UnsafeMutableRawPointer, count: Int) throws -> Int
}

struct FileSource: ByteSource {
    let fd: Int32
    mutating func read(into p: UnsafeMutableRawPointer, count: Int) throws -> Int {
        while true {
            #if canImport(Glibc) || canImport(Musl)
            let n = Glibc.read(fd, p, count)
            #else
            let n = Darwin.read(fd, p, count)
            #endif
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw IngestError(.unreadable, String(cString: strerror(errno)))
        }
    }
}

struct MemorySource: ByteSource {
    let bytes: [UInt8]
    var offset = 0
    mutating func read(into p: UnsafeMutableRawPointer, count: Int) throws -> Int {
        let n = min(count, bytes.count - offset)
        if n <= 0 { return 0 }
        bytes.withUnsafeBytes { src in
            p.copyMemory(from: src.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}
