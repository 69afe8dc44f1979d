import Foundation
import Hummingbird
import Platform

extension RequestContext {
    /// The `{name}` path parameter as a UUID; anything else is "not found", like an unknown id.
    func id(_ name: String, _ what: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else {
            throw ServiceError.notFound(what)
        }
        return id
    }
}
