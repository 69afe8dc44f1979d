import Foundation
import Platform

/// A context inside one environment (the API's and the pages'): the caller and the environment's region stores.
protocol EnvironmentScopedContext {
    var caller: Caller { get }
    /// The environment's region stores, bound to it.
    var scope: EnvironmentScope { get }
}

extension EnvironmentScopedContext {
    var environment: Environment { scope.environment }
    var tenantID: UUID { scope.tenantID }

    /// Throws 403 unless the caller holds `permission` on this environment.
    func authorize(_ permission: Permission) throws {
        try caller.authorize(permission, in: tenantID, on: environment.id)
    }

    /// Whether the caller holds `permission` on this environment.
    func may(_ permission: Permission) -> Bool {
        caller.may(permission, in: tenantID, on: environment.id)
    }
}
