import Foundation
import Hummingbird
import Platform

extension AppRequestContext {
    /// The `{name}` path parameter as a UUID; anything else is "not found", like an unknown id.
    func id(_ name: String, _ what: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else {
            throw ServiceError.notFound(what)
        }
        return id
    }

    /// The caller, who must belong to the `{tenant}` of the path; any other tenant is "not found".
    func tenantCaller() throws -> (tenant: UUID, caller: Caller) {
        let tenant = try id("tenant", "tenant")
        let caller = try requireCaller()
        guard caller.belongs(to: tenant) else { throw ServiceError.notFound("tenant") }
        return (tenant, caller)
    }
}

extension Caller {
    func requireOwner() throws {
        guard isOwner else { throw ServiceError(.forbidden, "this needs the tenant's owner role") }
    }

    func requireOperator() throws {
        guard operatorID != nil else { throw ServiceError(.forbidden, "this needs a platform operator key") }
    }

    func require(_ role: Role, on environment: UUID) throws {
        guard has(role, on: environment) else {
            throw ServiceError(.forbidden, "this needs the \(role.rawValue) role on the environment")
        }
    }
}
