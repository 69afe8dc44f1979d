import NIOCore

/// A command for `SMTPClientHandler`: the line to write, if any, and the promise of its reply.
///
/// A request without bytes waits for a reply that needs no command: the greeting.
struct SMTPRequest: Sendable {
    var bytes: ByteBuffer?
    var reply: EventLoopPromise<SMTPReply>
}

/// Matches each reply of the relay to the request that waits for it, one request at a time.
///
/// A reply that arrives before anyone asks (the greeting, usually) is kept for
/// the next request. Once the connection fails, every request fails the same way.
final class SMTPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = SMTPReply
    typealias OutboundIn = SMTPRequest
    typealias OutboundOut = ByteBuffer

    /// Replies nobody has asked for yet beyond this count mean the relay is not speaking SMTP.
    private static let maximumEarlyReplies = 8

    private var waiting: EventLoopPromise<SMTPReply>?
    private var early = CircularBuffer<SMTPReply>()
    private var failure: SMTPError?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        if let waiting {
            self.waiting = nil
            waiting.succeed(reply)
        } else if early.count < Self.maximumEarlyReplies {
            early.append(reply)
        } else {
            fail(SMTPError(code: .protocolViolation, message: "the relay sent replies nobody asked for"))
            context.close(promise: nil)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            request.reply.fail(failure)
            promise?.fail(failure)
            return
        }
        guard waiting == nil else {
            let error = SMTPError(code: .protocolViolation, message: "a command was sent before the previous reply came")
            request.reply.fail(error)
            promise?.fail(error)
            return
        }
        if let bytes = request.bytes {
            context.write(wrapOutboundOut(bytes), promise: promise)
        } else {
            promise?.succeed()
        }
        if let reply = early.popFirst() {
            request.reply.succeed(reply)
        } else {
            waiting = request.reply
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(SMTPError(code: .connectionClosed, message: "the relay closed the connection"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        fail(error as? SMTPError ?? SMTPError(code: .connectionClosed, message: "connection error: \(error)"))
        context.close(promise: nil)
    }

    /// Fails the waiting request and every later one with the first failure seen.
    private func fail(_ error: SMTPError) {
        if failure == nil { failure = error }
        waiting?.fail(failure ?? error)
        waiting = nil
    }
}
