import Hummingbird
import NIOCore
import Platform

/// The per-request context: Hummingbird's core storage plus the authenticated caller.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthenticationMiddleware` on routes that need a key.
    public var caller: Caller?
    /// The connection the request came on (its peer address, its abandonment signal).
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The caller, or 401 when the route was reached without a key.
    public func requireCaller() throws -> Caller {
        guard let caller else { throw ServiceError(.unauthenticated, "a valid API key is required (Authorization: Bearer <key>)") }
        return caller
    }
}
