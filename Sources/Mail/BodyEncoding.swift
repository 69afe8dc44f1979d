/// The Content-Transfer-Encoding of a body, chosen from its bytes and the relay's 8BITMIME support.
enum BodyEncoding: String, Sendable {
    case sevenBit = "7bit"
    case eightBit = "8bit"
    case quotedPrintable = "quoted-printable"

    /// RFC 5322's limit on a line, without its CRLF.
    static let maximumLineLength = 998

    /// 7bit for short-lined ASCII, 8bit for short-lined UTF-8 when the relay takes
    /// 8BITMIME, quoted-printable otherwise (long lines, NUL bytes, no 8BITMIME).
    static func choose(for lines: [[UInt8]], eightBitMIME: Bool) -> BodyEncoding {
        var ascii = true
        for line in lines {
            if line.count > maximumLineLength || line.contains(0) { return .quotedPrintable }
            if ascii, line.contains(where: { $0 >= 0x80 }) { ascii = false }
        }
        if ascii { return .sevenBit }
        return eightBitMIME ? .eightBit : .quotedPrintable
    }

    /// The text split into lines at CRLF, CR or LF; a final line break ends the last line rather than starting an empty one.
    static func lines(of text: String) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var line: [UInt8] = []
        var previous: UInt8 = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\n") where previous == UInt8(ascii: "\r"):
                break
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                lines.append(line)
                line = []
            default:
                line.append(byte)
            }
            previous = byte
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// The body in this encoding, every line ending in CRLF.
    func encode(_ lines: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        for line in lines {
            out += self == .quotedPrintable ? QuotedPrintable.encode(line) : line
            out += [0x0D, 0x0A]
        }
        return out
    }
}
