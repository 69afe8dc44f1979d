/// RFC 2045 quoted-printable encoding of one line of text.
enum QuotedPrintable {
    /// Encoded characters per line before a soft line break (`=`), which makes 76.
    static let maximumLineLength = 75

    private static let hex = Array("0123456789ABCDEF".utf8)

    /// The encoded line (no final CRLF), with soft line breaks (`=` CRLF) where it would exceed 76 characters.
    static func encode(_ line: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var column = 0
        for (index, byte) in line.enumerated() {
            let isLast = index == line.count - 1
            let literal = (0x21...0x7E).contains(byte) && byte != UInt8(ascii: "=")
                || (byte == 0x20 || byte == 0x09) && !isLast
            let encoded = literal ? [byte] : [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            if column + encoded.count > maximumLineLength {
                out += [UInt8(ascii: "="), 0x0D, 0x0A]
                column = 0
            }
            out += encoded
            column += encoded.count
        }
        return out
    }
}
