import NIOCore

/// RFC 5321 section 4.5.2 transparency: the DATA bytes of a CRLF-lined message.
enum DotStuffing {
    /// The message with a `.` doubled at the start of each line, a CRLF ensured at
    /// its end, and the terminating `.` CRLF.
    static func data(_ message: [UInt8], allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: message.count + message.count / 64 + 5)
        var atLineStart = true
        for byte in message {
            if atLineStart, byte == UInt8(ascii: ".") { buffer.writeInteger(UInt8(ascii: ".")) }
            buffer.writeInteger(byte)
            atLineStart = byte == UInt8(ascii: "\n")
        }
        if !message.isEmpty, !message.ends(with: [0x0D, 0x0A]) { buffer.writeStaticString("\r\n") }
        buffer.writeStaticString(".\r\n")
        return buffer
    }
}

private extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
