import Foundation
import Hummingbird
import Platform

/// A page under `/ui/environments/{environment}`: the signed-in caller sees that environment.
struct PageEnvironmentRequestContext: ChildRequestContext, EnvironmentScopedContext {
    var coreContext: CoreRequestContextStorage
    let session: PageSession.Active
    let scope: EnvironmentScope

    init(context: PageRequestContext) throws {
        guard let scope = context.scope else { throw UnresolvedContext(what: "environment") }
        coreContext = context.coreContext
        session = context.session
        self.scope = scope
    }

    var caller: Caller { session.caller }
    /// The environment's id as the pages' links write it.
    var environmentID: String { environment.id.uuidString.lowercased() }
}
