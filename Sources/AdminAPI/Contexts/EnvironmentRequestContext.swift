import Foundation
import Hummingbird
import Platform

/// A request under `/v1/tenants/{tenant}/environments/{environment}`: the caller sees that environment.
///
/// `EnvironmentMiddleware` looks the environment up and checks the caller's
/// role once; routes get it with its region stores in `scope`.
struct EnvironmentRequestContext: ChildRequestContext, EnvironmentScopedContext {
    var coreContext: CoreRequestContextStorage
    let caller: Caller
    let scope: EnvironmentScope

    init(context: TenantRequestContext) throws {
        guard let scope = context.scope else { throw UnresolvedContext(what: "environment") }
        coreContext = context.coreContext
        caller = context.caller
        self.scope = scope
    }
}
