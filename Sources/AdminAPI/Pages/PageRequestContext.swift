import Foundation
import Hummingbird
import NIOCore
import Platform

/// A page request of someone signed in: the session resolved once, by `PageSessionMiddleware`.
struct PageRequestContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let session: PageSession.Active
    let tenantID: UUID
    /// The connection the request came on (whether a trusted proxy forwarded it).
    let channel: any Channel
    /// The environment of `…/environments/{environment}`, bound to its region; set by `PageEnvironmentMiddleware`.
    var scope: EnvironmentScope?

    init(context: AppRequestContext) throws {
        guard let session = context.pageSession, let tenantID = session.caller.tenantID else {
            throw UnresolvedContext(what: "page session")
        }
        coreContext = context.coreContext
        self.session = session
        self.tenantID = tenantID
        channel = context.channel
    }

    var caller: Caller { session.caller }
}
