import Foundation
import HTTPTypes
import Hummingbird

/// Stamps every response with `Server-Timing: app;dur=<ms>`, the server's own time for it.
///
/// The browser test prints it for each page; `MetricsMiddleware` keeps the histogram.
struct ServerTimingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var response = try await next(request, context)
        let elapsed = (ContinuousClock.now - started).components
        let milliseconds = Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
        response.headers[.serverTiming] = String(format: "app;dur=%.1f", milliseconds)
        return response
    }
}

extension HTTPField.Name {
    static let serverTiming = Self("Server-Timing")!
}
