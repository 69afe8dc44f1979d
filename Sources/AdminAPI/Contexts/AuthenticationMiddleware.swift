import Hummingbird
import Platform

/// Reads `Authorization: Bearer <key>` and puts the caller in the context; 401 without a valid key.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let control: TenantStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw ServiceError(.unauthenticated, "a valid API key is required (Authorization: Bearer <key>)")
        }
        var context = context
        context.caller = try await control.authenticate(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        return try await next(request, context)
    }
}
