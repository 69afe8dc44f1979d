import NIOCore

/// Splits the relay's bytes into replies, joining the lines of multi-line replies.
///
/// Lines end in CRLF (a bare LF is tolerated). A line must start with three
/// digits followed by a space, a hyphen (more lines follow) or nothing.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    /// RFC 5321 allows 512 octets per reply line; anything far beyond is not SMTP.
    static let maximumLineLength = 4096
    /// More lines than any EHLO reply has.
    static let maximumLines = 200

    private var lines: [String] = []
    private var code: Int?

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maximumLineLength {
                throw SMTPError(code: .protocolViolation, message: "reply line longer than \(Self.maximumLineLength) bytes")
            }
            return .needMoreData
        }
        let length = newline - view.startIndex
        guard length <= Self.maximumLineLength, var line = buffer.readBytes(length: length) else {
            throw SMTPError(code: .protocolViolation, message: "reply line longer than \(Self.maximumLineLength) bytes")
        }
        buffer.moveReaderIndex(forwardBy: 1)
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        if let reply = try append(line) {
            context.fireChannelRead(Self.wrapInboundOut(reply))
        }
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    /// Adds one line (without its line end); returns the reply when it was the last line.
    mutating func append(_ line: [UInt8]) throws -> SMTPReply? {
        let digits = line.prefix(3)
        guard digits.count == 3, digits.allSatisfy({ (0x30...0x39).contains($0) }),
              line.count == 3 || line[3] == UInt8(ascii: " ") || line[3] == UInt8(ascii: "-")
        else {
            throw SMTPError(code: .protocolViolation, message: "malformed reply line: \(Self.printable(line))")
        }
        let lineCode = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        if let code, code != lineCode {
            throw SMTPError(code: .protocolViolation, message: "reply code changed within a multi-line reply: \(Self.printable(line))")
        }
        lines.append(String(decoding: line.dropFirst(4), as: UTF8.self))
        guard line.count > 3, line[3] == UInt8(ascii: "-") else {
            defer { lines = []; code = nil }
            return SMTPReply(code: lineCode, lines: lines)
        }
        guard lines.count < Self.maximumLines else {
            throw SMTPError(code: .protocolViolation, message: "multi-line reply of more than \(Self.maximumLines) lines")
        }
        code = lineCode
        return nil
    }

    /// The line as text for an error message, control characters replaced, at most 200 characters.
    private static func printable(_ line: [UInt8]) -> String {
        String(decoding: line.prefix(200).map { $0 < 0x20 || $0 == 0x7F ? UInt8(ascii: "?") : $0 }, as: UTF8.self)
    }
}
