import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix
import Synchronization

/// A real SMTP server on 127.0.0.1 for tests: it records what it is sent and can be told to refuse.
///
/// It speaks RFC 5321 over TCP (greeting, EHLO/HELO, optional AUTH PLAIN, MAIL,
/// RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT) and insists on CRLF line
/// ends, so a client that sends bare LFs waits for a reply that never comes.
/// The listening socket has SO_REUSEADDR: `start(port:)` with the port of a
/// stopped sink brings the "relay" back up on the same port.
///
/// Its helper types live in this file too, which is the one file of
/// `TestSupport` the mail work owns.
public final class SMTPSink: Sendable {
    /// The port the sink listens on.
    public let port: Int
    private let serverChannel: any Channel
    private let state: SMTPSinkState

    /// A step of the dialogue at which the sink can be told to refuse.
    public enum Stage: Sendable, Hashable {
        /// The reply to RCPT TO.
        case recipient
        /// The reply to the DATA command.
        case data
    }

    /// How the sink presents itself; fixed for its lifetime.
    public struct Options: Sendable {
        /// The greeting's text, one element per line (more than one makes a multi-line 220 reply).
        public var greeting: [String]
        /// List 8BITMIME in the EHLO reply.
        public var advertise8BitMIME: Bool
        /// Offer AUTH PLAIN and require it, with these credentials, before MAIL.
        public var credentials: (username: String, password: String)?
        /// Answer EHLO with 502, as a relay that knows only HELO.
        public var refuseEHLO: Bool
        /// Accept connections and never answer anything.
        public var silent: Bool

        public init(
            greeting: [String] = ["127.0.0.1 SMTPSink ready"],
            advertise8BitMIME: Bool = true,
            credentials: (username: String, password: String)? = nil,
            refuseEHLO: Bool = false,
            silent: Bool = false
        ) {
            self.greeting = greeting
            self.advertise8BitMIME = advertise8BitMIME
            self.credentials = credentials
            self.refuseEHLO = refuseEHLO
            self.silent = silent
        }
    }

    private init(port: Int, serverChannel: any Channel, state: SMTPSinkState) {
        self.port = port
        self.serverChannel = serverChannel
        self.state = state
    }

    /// Starts a sink on 127.0.0.1; port 0 picks a free port.
    public static func start(port: Int = 0, options: Options = Options()) async throws -> SMTPSink {
        let state = SMTPSinkState(options: options)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                state.register(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SMTPSinkSession(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
        return SMTPSink(port: channel.localAddress?.port ?? port, serverChannel: channel, state: state)
    }

    /// The messages accepted so far (250 after the final dot), oldest first.
    public func messages() -> [ReceivedMail] {
        state.locked { $0.messages }
    }

    /// Every command line received so far, across connections, as sent (AUTH included).
    public func commands() -> [String] {
        state.locked { $0.commands }
    }

    /// From now on, answer `stage` with `code` (such as 451 or 554) and these lines of text.
    public func refuse(_ stage: Stage, code: Int, text: [String] = ["refused by SMTPSink"]) {
        state.locked { $0.refusals[stage] = (code, text) }
    }

    /// From now on, accept every recipient and every message again.
    public func acceptAll() {
        state.locked { $0.refusals = [:] }
    }

    /// A free port outside Linux's ephemeral range (32768–60999), so no sink started on port 0
    /// by a parallel test can take it between a stop and a restart.
    public static func quietPort() -> Int {
        while true {
            let port = Int.random(in: 20_000..<30_000)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(descriptor) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if bound == 0 { return port }
        }
    }

    /// Starts a sink on `port`, retrying briefly while the port is still held by a sink just stopped.
    public static func restart(port: Int, options: Options = Options()) async throws -> SMTPSink {
        var attempt = 0
        while true {
            do {
                return try await start(port: port, options: options)
            } catch {
                attempt += 1
                if attempt >= 50 { throw error }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Stops listening and closes every open connection.
    public func stop() async {
        try? await serverChannel.close()
        for channel in state.stop() {
            try? await channel.close()
        }
    }
}

/// A message as the sink received it, with its headers and body decoded.
public struct ReceivedMail: Sendable {
    /// The address of MAIL FROM.
    public var from: String
    /// The addresses of the accepted RCPT TO commands.
    public var recipients: [String]
    /// The parameters after MAIL FROM's address, such as `BODY=8BITMIME`.
    public var mailParameters: [String]
    /// The user that AUTH PLAIN authenticated, if any.
    public var authenticatedUser: String?
    /// The message after dot-unstuffing, exactly as sent (CRLF line ends).
    public var data: String
    /// The header fields in order, values unfolded but not decoded.
    public var headers: [(name: String, value: String)]
    /// The Subject with RFC 2047 encoded words decoded.
    public var subject: String?
    /// The body decoded per Content-Transfer-Encoding, with LF line ends.
    public var body: String

    init(from: String, recipients: [String], mailParameters: [String], authenticatedUser: String?, data: [UInt8]) {
        self.from = from
        self.recipients = recipients
        self.mailParameters = mailParameters
        self.authenticatedUser = authenticatedUser
        self.data = String(decoding: data, as: UTF8.self)
        let split = MailText.splitHeaders(data)
        let headers = MailText.headerFields(split.header)
        let find = { (name: String) in headers.first { $0.name.lowercased() == name.lowercased() }?.value }
        self.headers = headers
        self.subject = find("Subject").map(MailText.decodeEncodedWords)
        var body = split.body
        if find("Content-Transfer-Encoding")?.lowercased() == "quoted-printable" {
            body = MailText.decodeQuotedPrintable(body)
        }
        self.body = String(decoding: MailText.lineFeeds(body), as: UTF8.self)
    }

    /// The first header field of that name (case-insensitive), unfolded.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// The sink's shared state: options, refusals, what was received, open connections.
final class SMTPSinkState: Sendable {
    struct Contents {
        let options: SMTPSink.Options
        var refusals: [SMTPSink.Stage: (code: Int, text: [String])] = [:]
        var messages: [ReceivedMail] = []
        var commands: [String] = []
        var channels: [ObjectIdentifier: any Channel] = [:]
        var stopped = false
    }

    private let contents: Mutex<Contents>

    init(options: SMTPSink.Options) {
        contents = Mutex(Contents(options: options))
    }

    var options: SMTPSink.Options { locked { $0.options } }

    func locked<T: Sendable>(_ body: (inout Contents) -> T) -> T {
        contents.withLock { body(&$0) }
    }

    /// Tracks a new connection until it closes; closes it at once when the sink is stopped.
    func register(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        let accepted = locked { contents in
            guard !contents.stopped else { return false }
            contents.channels[id] = channel
            return true
        }
        guard accepted else { return channel.close(promise: nil) }
        channel.closeFuture.whenComplete { _ in
            self.locked { _ = $0.channels.removeValue(forKey: id) }
        }
    }

    /// Marks the sink stopped; returns the connections to close.
    func stop() -> [any Channel] {
        locked { contents in
            contents.stopped = true
            defer { contents.channels = [:] }
            return Array(contents.channels.values)
        }
    }
}

/// One connection to the sink: reads CRLF lines, answers commands, collects DATA.
final class SMTPSinkSession: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase { case command, authResponse, data }

    private let state: SMTPSinkState
    private let options: SMTPSink.Options
    private var buffer = ByteBuffer()
    private var phase = Phase.command
    private var greeted = false
    private var user: String?
    private var from: String?
    private var mailParameters: [String] = []
    private var recipients: [String] = []
    private var data: [UInt8] = []

    /// A line longer than this, without CRLF, closes the connection.
    private static let maximumLineLength = 1 << 20

    init(state: SMTPSinkState) {
        self.state = state
        self.options = state.options
    }

    func channelActive(context: ChannelHandlerContext) {
        if !options.silent { reply(context, 220, options.greeting) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        guard !options.silent else { return }
        buffer.writeBuffer(&incoming)
        while context.channel.isActive, let line = nextLine() {
            handle(line, context)
        }
        if buffer.readableBytes > Self.maximumLineLength {
            reply(context, 500, ["5.5.2 line too long"], thenClose: true)
        }
        buffer.discardReadBytes()
    }

    /// The next line ending in CRLF, without it; a bare LF does not end a line.
    private func nextLine() -> [UInt8]? {
        let view = buffer.readableBytesView
        var from = view.startIndex
        while let newline = view[from...].firstIndex(of: 0x0A) {
            if newline > view.startIndex, view[newline - 1] == 0x0D {
                let line = buffer.readBytes(length: newline - 1 - view.startIndex)
                buffer.moveReaderIndex(forwardBy: 2)
                return line
            }
            from = newline + 1
        }
        return nil
    }

    private func handle(_ line: [UInt8], _ context: ChannelHandlerContext) {
        switch phase {
        case .data: receiveData(line, context)
        case .authResponse: authenticate(String(decoding: line, as: UTF8.self), context)
        case .command: command(String(decoding: line, as: UTF8.self), context)
        }
    }

    private func command(_ line: String, _ context: ChannelHandlerContext) {
        state.locked { $0.commands.append(line) }
        let verb = line.prefix { $0 != " " }.uppercased()
        let argument = line.drop { $0 != " " }.drop { $0 == " " }
        switch verb {
        case "EHLO":
            if options.refuseEHLO { return reply(context, 502, ["5.5.2 EHLO not implemented"]) }
            resetTransaction()
            greeted = true
            var lines = ["127.0.0.1 greets \(argument)"]
            if options.advertise8BitMIME { lines.append("8BITMIME") }
            if options.credentials != nil { lines.append("AUTH PLAIN") }
            reply(context, 250, lines + ["OK"])
        case "HELO":
            resetTransaction()
            greeted = true
            reply(context, 250, ["127.0.0.1 greets \(argument)"])
        case "AUTH":
            let words = argument.split(separator: " ")
            guard options.credentials != nil, words.first?.uppercased() == "PLAIN" else {
                return reply(context, 504, ["5.5.4 unrecognised authentication type"])
            }
            guard greeted, user == nil else { return reply(context, 503, ["5.5.1 bad sequence of commands"]) }
            if words.count > 1 {
                authenticate(String(words[1]), context)
            } else {
                phase = .authResponse
                reply(context, 334, [""])
            }
        case "MAIL":
            guard greeted, from == nil else { return reply(context, 503, ["5.5.1 bad sequence of commands"]) }
            guard options.credentials == nil || user != nil else { return reply(context, 530, ["5.7.0 authentication required"]) }
            guard let (address, parameters) = Self.path(argument, keyword: "FROM:") else {
                return reply(context, 501, ["5.5.4 syntax: MAIL FROM:<address>"])
            }
            from = address
            mailParameters = parameters
            reply(context, 250, ["2.1.0 Ok"])
        case "RCPT":
            guard from != nil else { return reply(context, 503, ["5.5.1 need MAIL before RCPT"]) }
            guard let (address, _) = Self.path(argument, keyword: "TO:") else {
                return reply(context, 501, ["5.5.4 syntax: RCPT TO:<address>"])
            }
            if let refusal = state.locked({ $0.refusals[.recipient] }) { return reply(context, refusal.code, refusal.text) }
            recipients.append(address)
            reply(context, 250, ["2.1.5 Ok"])
        case "DATA":
            guard !recipients.isEmpty else { return reply(context, 503, ["5.5.1 need RCPT before DATA"]) }
            if let refusal = state.locked({ $0.refusals[.data] }) { return reply(context, refusal.code, refusal.text) }
            phase = .data
            data = []
            reply(context, 354, ["End data with <CR><LF>.<CR><LF>"])
        case "RSET":
            resetTransaction()
            reply(context, 250, ["2.0.0 Ok"])
        case "NOOP":
            reply(context, 250, ["2.0.0 Ok"])
        case "QUIT":
            reply(context, 221, ["2.0.0 Bye"], thenClose: true)
        default:
            reply(context, 502, ["5.5.2 command not recognised"])
        }
    }

    private func authenticate(_ response: String, _ context: ChannelHandlerContext) {
        phase = .command
        let fields = Data(base64Encoded: response).map { $0.split(separator: 0, omittingEmptySubsequences: false) } ?? []
        guard fields.count == 3, let credentials = options.credentials,
              String(decoding: fields[1], as: UTF8.self) == credentials.username,
              String(decoding: fields[2], as: UTF8.self) == credentials.password
        else {
            return reply(context, 535, ["5.7.8 authentication credentials invalid"])
        }
        user = credentials.username
        reply(context, 235, ["2.7.0 authentication successful"])
    }

    private func receiveData(_ line: [UInt8], _ context: ChannelHandlerContext) {
        if line == [UInt8(ascii: ".")] {
            let mail = ReceivedMail(from: from ?? "", recipients: recipients, mailParameters: mailParameters, authenticatedUser: user, data: data)
            let number = state.locked { contents in
                contents.messages.append(mail)
                return contents.messages.count
            }
            phase = .command
            resetTransaction()
            return reply(context, 250, ["2.0.0 Ok: queued as \(number)"])
        }
        data += line.first == UInt8(ascii: ".") ? line.dropFirst() : line[...]
        data += [0x0D, 0x0A]
    }

    private func resetTransaction() {
        from = nil
        mailParameters = []
        recipients = []
        data = []
    }

    /// Writes a reply, `code-` on every line but the last.
    private func reply(_ context: ChannelHandlerContext, _ code: Int, _ lines: [String], thenClose: Bool = false) {
        var out = context.channel.allocator.buffer(capacity: 64)
        let lines = lines.isEmpty ? [""] : lines
        for (index, line) in lines.enumerated() {
            let separator = index == lines.count - 1 ? " " : "-"
            out.writeString("\(code)\(separator)\(line)".trimmingCharacters(in: .whitespaces) + "\r\n")
        }
        let written = context.writeAndFlush(wrapOutboundOut(out))
        if thenClose {
            let channel = context.channel
            written.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    /// `FROM:<address> PARAM…` → the address and the parameters.
    private static func path(_ argument: Substring, keyword: String) -> (String, [String])? {
        guard argument.uppercased().hasPrefix(keyword) else { return nil }
        let rest = argument.dropFirst(keyword.count).drop { $0 == " " }
        guard rest.first == "<", let close = rest.firstIndex(of: ">") else { return nil }
        let address = String(rest[rest.index(after: rest.startIndex)..<close])
        let parameters = rest[rest.index(after: close)...].split(separator: " ").map(String.init)
        return (address, parameters)
    }
}

/// Decoding of RFC 5322 header blocks, RFC 2047 encoded words and quoted-printable, for `ReceivedMail`.
enum MailText {
    /// The bytes before and after the first empty line.
    static func splitHeaders(_ data: [UInt8]) -> (header: [UInt8], body: [UInt8]) {
        let separator: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
        guard data.count >= 4 else { return (data, []) }
        for index in 0...(data.count - 4) where data[index..<index + 4].elementsEqual(separator) {
            return (Array(data[..<index]), Array(data[(index + 4)...]))
        }
        return (data, [])
    }

    /// The fields of a header block, continuation lines joined.
    static func headerFields(_ header: [UInt8]) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        for line in lines(header) {
            let text = String(decoding: line, as: UTF8.self)
            if line.first == 0x20 || line.first == 0x09, !fields.isEmpty {
                fields[fields.count - 1].value += text
            } else if let colon = text.firstIndex(of: ":") {
                let value = text[text.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
                fields.append((String(text[..<colon]), String(value)))
            }
        }
        return fields
    }

    /// The text with `=?charset?B|Q?…?=` words decoded; whitespace between adjacent words dropped.
    static func decodeEncodedWords(_ value: String) -> String {
        let bytes = Array(value.utf8)
        var out: [UInt8] = []
        var whitespace: [UInt8] = []
        var afterWord = false
        var index = 0
        while index < bytes.count {
            if let (decoded, end) = encodedWord(bytes, at: index) {
                if !afterWord { out += whitespace }
                whitespace = []
                out += decoded
                afterWord = true
                index = end
            } else if bytes[index] == 0x20 || bytes[index] == 0x09 {
                whitespace.append(bytes[index])
                index += 1
            } else {
                out += whitespace + [bytes[index]]
                whitespace = []
                afterWord = false
                index += 1
            }
        }
        return String(decoding: out + whitespace, as: UTF8.self)
    }

    /// The bytes of the encoded word starting at `start`, and the index after it.
    private static func encodedWord(_ bytes: [UInt8], at start: Int) -> ([UInt8], Int)? {
        guard bytes[start...].starts(with: Array("=?".utf8)) else { return nil }
        let parts = bytes[(start + 2)...].split(separator: UInt8(ascii: "?"), maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[1].count == 1, parts[3].starts(with: [UInt8(ascii: "=")]) else { return nil }
        let text = Array(parts[2])
        let end = parts[3].startIndex + 1
        switch parts[1].first.map({ $0 | 0x20 }) {
        case UInt8(ascii: "b"):
            guard let data = Data(base64Encoded: String(decoding: text, as: UTF8.self)) else { return nil }
            return (Array(data), end)
        case UInt8(ascii: "q"):
            return (decodeQuotedPrintable(text.map { $0 == UInt8(ascii: "_") ? 0x20 : $0 }), end)
        default:
            return nil
        }
    }

    /// Quoted-printable decoded: soft line breaks removed, `=XX` turned into bytes.
    static func decodeQuotedPrintable(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "=") else {
                out.append(byte)
                index += 1
                continue
            }
            if bytes[(index + 1)...].starts(with: [0x0D, 0x0A]) {
                index += 3
            } else if index + 2 < bytes.count, let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                out.append(value)
                index += 3
            } else {
                out.append(byte)
                index += 1
            }
        }
        return out
    }

    /// CRLF turned into LF.
    static func lineFeeds(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                index += 1
            }
            out.append(bytes[index])
            index += 1
        }
        return out
    }

    /// Lines split at CRLF; a final CRLF ends the last line.
    private static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var start = 0
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == 0x0D, bytes[index + 1] == 0x0A {
                lines.append(Array(bytes[start..<index]))
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        if start < bytes.count { lines.append(Array(bytes[start...])) }
        return lines
    }
}
