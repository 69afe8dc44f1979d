import Foundation
import NIOCore
import Testing
@testable import Mail

/// The pure parts of the message format: dates, encodings, dot-stuffing, EHLO parsing.
@Suite struct MessageFormatTests {
    @Test func rfc5322Dates() {
        #expect(RFC5322Date.string(from: Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(RFC5322Date.string(from: Date(timeIntervalSince1970: 1_700_000_000.9)) == "Tue, 14 Nov 2023 22:13:20 +0000")
        #expect(RFC5322Date.string(from: Date(timeIntervalSince1970: 951_782_400)) == "Tue, 29 Feb 2000 00:00:00 +0000")
        #expect(RFC5322Date.string(from: Date(timeIntervalSince1970: -1)) == "Wed, 31 Dec 1969 23:59:59 +0000")
    }

    @Test func encodedWordsKeepWholeCharacters() {
        #expect(EncodedWord.headerValue("Plain subject") == "Plain subject")
        #expect(EncodedWord.headerValue("=?not a word?=") == "=?UTF-8?B?PT9ub3QgYSB3b3JkPz0=?=")
        #expect(EncodedWord.headerValue("Grüße") == "=?UTF-8?B?R3LDvMOfZQ==?=")
        let value = EncodedWord.headerValue(String(repeating: "€", count: 30))
        let words = value.components(separatedBy: "\r\n ")
        #expect(words.count == 3)  // 90 bytes, 12 three-byte characters (36 bytes) per word
        for word in words {
            let base64 = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            let bytes = Data(base64Encoded: String(base64)).map(Array.init) ?? []
            #expect(String(validating: bytes, as: UTF8.self) != nil)
            #expect(word.count + "Subject: ".count <= 76)
        }
    }

    @Test func quotedPrintableLines() {
        #expect(String(decoding: QuotedPrintable.encode(Array("a=b ü".utf8)), as: UTF8.self) == "a=3Db =C3=BC")
        #expect(String(decoding: QuotedPrintable.encode(Array("ends in space ".utf8)), as: UTF8.self) == "ends in space=20")
        let encoded = String(decoding: QuotedPrintable.encode(Array(String(repeating: "é", count: 60).utf8)), as: UTF8.self)
        let lines = encoded.components(separatedBy: "=\r\n")
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.count <= 75 && !$0.hasSuffix("=") && !$0.hasSuffix("=C") })
    }

    @Test func bodyLinesAndEncodingChoice() {
        #expect(BodyEncoding.lines(of: "a\r\nb\nc\rd\n") == [[97], [98], [99], [100]])
        #expect(BodyEncoding.lines(of: "a\n\n") == [[97], []])
        #expect(BodyEncoding.lines(of: "") == [])
        #expect(BodyEncoding.choose(for: [Array("ascii".utf8)], eightBitMIME: false) == .sevenBit)
        #expect(BodyEncoding.choose(for: [Array("grüß".utf8)], eightBitMIME: true) == .eightBit)
        #expect(BodyEncoding.choose(for: [Array("grüß".utf8)], eightBitMIME: false) == .quotedPrintable)
        #expect(BodyEncoding.choose(for: [[UInt8](repeating: 97, count: 999)], eightBitMIME: true) == .quotedPrintable)
        #expect(BodyEncoding.choose(for: [[97, 0, 98]], eightBitMIME: true) == .quotedPrintable)
    }

    @Test func dotStuffing() {
        let data = DotStuffing.data(Array(".a\r\nb.\r\n..c\r\n.".utf8), allocator: ByteBufferAllocator())
        #expect(String(buffer: data) == "..a\r\nb.\r\n...c\r\n..\r\n.\r\n")
        #expect(String(buffer: DotStuffing.data([], allocator: ByteBufferAllocator())) == ".\r\n")
    }

    @Test func replyLines() throws {
        var decoder = SMTPReplyDecoder()
        #expect(try decoder.append(Array("250-relay.example".utf8)) == nil)
        #expect(try decoder.append(Array("250-8BITMIME".utf8)) == nil)
        #expect(try decoder.append(Array("250 OK".utf8)) == SMTPReply(code: 250, lines: ["relay.example", "8BITMIME", "OK"]))
        #expect(try decoder.append(Array("354".utf8)) == SMTPReply(code: 354, lines: [""]))
        #expect(try decoder.append(Array("451 4.3.0 later".utf8))?.summary == "451 4.3.0 later")
        for bad in ["25 x", "abc text", "250x", "HTTP/1.1 400 Bad Request", ""] {
            var fresh = SMTPReplyDecoder()
            #expect(throws: SMTPError.self) { try fresh.append(Array(bad.utf8)) }
        }
        var mixed = SMTPReplyDecoder()
        _ = try mixed.append(Array("250-a".utf8))
        let error = #expect(throws: SMTPError.self) { try mixed.append(Array("220 b".utf8)) }
        #expect(error?.code == .protocolViolation)
    }

    @Test func ehloExtensions() {
        let reply = SMTPReply(code: 250, lines: ["relay.example greets you", "8bitmime", "AUTH LOGIN plain", "SIZE 1000"])
        let extensions = SMTPExtensions(ehloReply: reply)
        #expect(extensions.supports("8BITMIME"))
        #expect(extensions.supportsAuthentication("PLAIN"))
        #expect(!extensions.supportsAuthentication("CRAM-MD5"))
        #expect(!extensions.supports("relay.example"))
        #expect(SMTPExtensions(ehloReply: SMTPReply(code: 250, lines: ["x", "AUTH=PLAIN"])).supportsAuthentication("plain"))
    }

    @Test func renderedHeadersInOrder() throws {
        let prepared = try PreparedMessage(MailMessage(to: "a@b.example", subject: "Hi", body: "x", messageID: "<id@b>"), from: "r@c.example")
        let (bytes, encoding) = prepared.rendered(date: Date(timeIntervalSince1970: 0), eightBitMIME: true)
        #expect(encoding == .sevenBit)
        #expect(String(decoding: bytes, as: UTF8.self) == """
            Date: Thu, 01 Jan 1970 00:00:00 +0000\r
            From: r@c.example\r
            To: a@b.example\r
            Subject: Hi\r
            Message-ID: <id@b>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: 7bit\r
            \r
            x\r

            """)
    }
}
