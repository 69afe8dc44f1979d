import NIOCore
import Postgres
import Synchronization

/// Fires a connection's `AbandonmentSignal` when its client goes away.
///
/// The server allows remote half-closure, so a client that hangs up is seen as
/// `inputClosed` before the channel goes inactive; either fires the signal, and
/// `RequestBudgetMiddleware` hands it to the request's database work, whose
/// statements are then cancelled on the server.
final class ClientDisconnectHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    let signal = AbandonmentSignal()

    func handlerAdded(context: ChannelHandlerContext) {
        ConnectionSignals.shared.register(signal, for: context.channel)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        ConnectionSignals.shared.unregister(context.channel)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event { signal.fire() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        signal.fire()
        ConnectionSignals.shared.unregister(context.channel)
        context.fireChannelInactive()
    }
}

/// The abandonment signal of each open connection, found by its channel.
final class ConnectionSignals: Sendable {
    static let shared = ConnectionSignals()

    private let signals = Mutex<[ObjectIdentifier: AbandonmentSignal]>([:])

    func register(_ signal: AbandonmentSignal, for channel: any Channel) {
        signals.withLock { $0[ObjectIdentifier(channel)] = signal }
    }

    func unregister(_ channel: any Channel) {
        _ = signals.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    func signal(for channel: any Channel) -> AbandonmentSignal? {
        signals.withLock { $0[ObjectIdentifier(channel)] }
    }
}
