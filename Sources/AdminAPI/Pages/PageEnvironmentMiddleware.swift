import Foundation
import Hummingbird
import Platform

/// Resolves `{environment}` once for every page under it; one the caller holds no role on is "not found".
struct PageEnvironmentMiddleware: RouterMiddleware {
    typealias Context = PageRequestContext
    let platform: Platform
    let renderer: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let text = context.parameters.get("environment"), let id = UUID(uuidString: text),
            context.caller.may(.readEnvironment, in: context.tenantID, on: id)
        else { return renderer.notFound(context.session) }
        let environment: Environment
        do {
            environment = try await platform.control.environment(tenant: context.tenantID, id: id)
        } catch let error as ServiceError where error.code == .notFound {
            return renderer.notFound(context.session)
        }
        var context = context
        context.scope = try platform.scope(for: environment)
        return try await next(request, context)
    }
}
