/// Splits a byte stream that arrives in chunks into lines, in time linear in its length.
///
/// Each byte is scanned for a line break once, however the chunks cut the
/// lines; a line longer than `maximumLineLength` is an error naming it, so one
/// endless line can neither exhaust memory nor cost the square of its length.
/// Lines come out without their `\n` or `\r\n`; every line is numbered, blank
/// ones included.
public struct LineSplitter: Sendable {
    /// A line longer than the limit.
    public struct LineTooLong: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var limit: Int
        public var description: String { "line \(line) is longer than \(limit) bytes" }
    }

    public let maximumLineLength: Int
    private var buffer: [UInt8] = []
    /// Where the next line starts in `buffer`.
    private var start = 0
    /// Bytes from `start` up to here hold no line break.
    private var scanned = 0
    private var lineNumber = 0

    public init(maximumLineLength: Int) {
        self.maximumLineLength = maximumLineLength
    }

    /// Adds the next chunk of the stream.
    public mutating func append<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
            scanned = 0
        } else if start > 65_536, start * 2 > buffer.count {
            // Drop consumed bytes once they are most of the buffer: amortized linear.
            buffer.removeSubrange(..<start)
            scanned -= start
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete line and its 1-based number, or nil until more bytes arrive.
    public mutating func nextLine() throws(LineTooLong) -> (number: Int, bytes: ArraySlice<UInt8>)? {
        guard let newline = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) else {
            scanned = buffer.count
            // A trailing `\r` may be the first half of a `\r\n`, which the line does not count.
            let pending = buffer.count - start - (buffer.count > start && buffer.last == UInt8(ascii: "\r") ? 1 : 0)
            if pending > maximumLineLength { throw LineTooLong(line: lineNumber + 1, limit: maximumLineLength) }
            return nil
        }
        var end = newline
        if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        guard end - start <= maximumLineLength else { throw LineTooLong(line: lineNumber + 1, limit: maximumLineLength) }
        lineNumber += 1
        let line = buffer[start..<end]
        start = newline + 1
        scanned = start
        return (lineNumber, line)
    }

    /// The last line when the stream does not end with a line break; call once at the end.
    public mutating func finish() throws(LineTooLong) -> (number: Int, bytes: ArraySlice<UInt8>)? {
        guard start < buffer.count else { return nil }
        guard buffer.count - start <= maximumLineLength else { throw LineTooLong(line: lineNumber + 1, limit: maximumLineLength) }
        lineNumber += 1
        let line = buffer[start...]
        start = buffer.count
        scanned = start
        return (lineNumber, line)
    }
}
