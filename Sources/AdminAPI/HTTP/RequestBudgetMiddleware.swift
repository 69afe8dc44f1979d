import Hummingbird
import Postgres
import Platform

/// Gives each request's database work its statement timeout and its connection's abandonment signal.
///
/// The timeout depends on the kind of request (API, page, bulk upload or
/// export); when the client hangs up, the signal fires and the statement at
/// hand is cancelled on the server instead of running on for nobody.
struct RequestBudgetMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let options: HTTPOptions

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let budget = Self.budget(for: request, options)
        let signal = ConnectionSignals.shared.signal(for: context.channel)
        return try await StatementBudget.$current.withValue(budget) {
            try await AbandonmentSignal.$current.withValue(signal) {
                try await next(request, context)
            }
        }
    }

    /// The statement timeout of a request, by its path and method.
    static func budget(for request: Request, _ options: HTTPOptions) -> Duration? {
        let path = request.uri.path
        if path.hasPrefix("/ui") { return options.pageStatementTimeout }
        guard path.hasPrefix("/v1/") else { return nil }
        let bulk = path.hasSuffix("/results/export")
            || (request.method == .post && (path.hasSuffix("/activity") || path.contains("/customer-data/")))
        return bulk ? options.bulkStatementTimeout : options.apiStatementTimeout
    }
}
