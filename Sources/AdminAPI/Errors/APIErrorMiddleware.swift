import Hummingbird

/// Answers every error a route throws as an `APIError` in the API's JSON shape.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try APIError(error, logger: context.logger).response(from: request, context: context)
        }
    }
}
