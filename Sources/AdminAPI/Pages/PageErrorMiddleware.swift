import Hummingbird

/// Answers an error behind an HTML page with an HTML page.
///
/// The status and the message are `APIError`'s, so a database failure is a
/// 500 (or a 503 when the database is busy) with no detail, never "signed out"
/// or "not found".
struct PageErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Draws the page of an error.
    let render: @Sendable (APIError) -> Response

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let error = APIError(error, logger: context.logger)
            var response = render(error)
            response.headers.append(contentsOf: error.headers)
            return response
        }
    }
}
