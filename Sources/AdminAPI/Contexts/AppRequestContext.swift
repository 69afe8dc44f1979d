import Hummingbird
import NIOCore
import Platform

/// The context every request starts with; the route groups derive theirs from it.
///
/// The API's `/v1` group fills `caller` (`AuthenticationMiddleware`), the pages
/// fill `pageSession` (`PageSessionMiddleware`); `TenantRequestContext` and
/// `PageRequestContext` require them.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The holder of the request's bearer key.
    public var caller: Caller?
    /// The signed-in session of a page request.
    var pageSession: PageSession.Active?
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
