import Logging
import NIOCore
import NIOPosix

/// One SMTP session over a NIO channel: a command, then its reply, with a timeout on each.
struct SMTPConnection: Sendable {
    let channel: any Channel
    let timeout: Duration
    let logger: Logger

    /// Connects to the relay; the greeting is read with `reply(to: nil, …)`.
    static func connect(
        host: String,
        port: Int,
        timeout: Duration,
        group: any EventLoopGroup,
        logger: Logger
    ) async throws -> SMTPConnection {
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(timeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                    try channel.pipeline.syncOperations.addHandler(SMTPClientHandler())
                }
            }
        do {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            return SMTPConnection(channel: channel, timeout: timeout, logger: logger)
        } catch ChannelError.connectTimeout {
            throw SMTPError(code: .timeout, message: "no connection to \(host):\(port) within \(timeout)")
        } catch let error as NIOConnectionError {
            let reason = error.connectionErrors.first.map { "\($0.error)" } ?? error.dnsAError.map { "\($0)" } ?? "\(error)"
            throw SMTPError(code: .connectionFailed, message: "cannot connect to \(host):\(port): \(reason)")
        } catch {
            throw SMTPError(code: .connectionFailed, message: "cannot connect to \(host):\(port): \(error)")
        }
    }

    /// Sends `line` (CRLF added) and returns the relay's reply; without a line, waits for the next reply.
    ///
    /// `verb` names the command in logs and errors, so that arguments such as
    /// credentials and addresses stay out of them.
    func reply(to line: String?, verb: String, timeout: Duration? = nil) async throws -> SMTPReply {
        var bytes: ByteBuffer?
        if let line {
            bytes = channel.allocator.buffer(capacity: line.utf8.count + 2)
            bytes?.writeString(line)
            bytes?.writeStaticString("\r\n")
        }
        return try await exchange(bytes, verb: verb, timeout: timeout)
    }

    /// Sends raw bytes (the dot-stuffed message and its final dot) and returns the reply.
    func reply(toData data: ByteBuffer) async throws -> SMTPReply {
        try await exchange(data, verb: "end of data", timeout: nil)
    }

    /// Closes the connection; a no-op when it is closed already.
    func close() async {
        try? await channel.close()
    }

    private func exchange(_ bytes: ByteBuffer?, verb: String, timeout: Duration?) async throws -> SMTPReply {
        let channel = self.channel
        let timeout = timeout ?? self.timeout
        let promise = channel.eventLoop.makePromise(of: SMTPReply.self)
        let timer = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            promise.fail(SMTPError(code: .timeout, message: "no reply to \(verb) within \(timeout)"))
            channel.close(promise: nil)
        }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        channel.writeAndFlush(SMTPRequest(bytes: bytes, reply: promise)).whenFailure { error in
            promise.fail(error as? SMTPError ?? SMTPError(code: .connectionClosed, message: "cannot send \(verb): \(error)"))
        }
        let reply = try await promise.futureResult.get()
        logger.debug("SMTP reply", metadata: ["smtp.command": "\(verb)", "smtp.reply_code": "\(reply.code)"])
        return reply
    }
}
