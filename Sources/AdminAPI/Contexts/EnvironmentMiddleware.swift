import Hummingbird
import Platform

/// Resolves `{environment}` once for every route under it: 404 unless the tenant has it, 403 without a role on it.
struct EnvironmentMiddleware: RouterMiddleware {
    typealias Context = TenantRequestContext
    let platform: Platform

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let environment = try await platform.control.environment(tenant: context.tenantID, id: try context.id("environment", "environment"))
        try context.caller.authorize(.readEnvironment, in: context.tenantID, on: environment.id)
        var context = context
        context.scope = try platform.scope(for: environment)
        return try await next(request, context)
    }
}
