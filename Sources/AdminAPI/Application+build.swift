import Foundation
import Hummingbird
import HummingbirdCore
import NIOCore
import Logging
import Metrics
import Prometheus
import Platform
import Synchronization

/// The HTTP side of Rapport: the admin API today, the pages later.
public enum AdminApplication {
    /// The Prometheus registry that `/metrics` serves; swift-metrics is bootstrapped to it once per process.
    public static let metricsRegistry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// Every route, with its middleware, as `rapport serve` and the tests use it.
    public static func buildRouter(_ services: AppServices, options: HTTPOptions = HTTPOptions()) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware())
        router.add(middleware: APIErrorMiddleware())
        router.add(middleware: RequestBudgetMiddleware(options: options))
        HealthRoutes(services: services, metrics: metricsRegistry).register(on: router)
        ConsentPageRoutes(services: services).register(on: router)
        PageRoutes(services: services, options: options).register(on: router)
        let v1 = router.group("v1").add(middleware: AuthenticationMiddleware(control: services.control))
        OperatorRoutes(services: services).register(on: v1)
        TenantRoutes(services: services).register(on: v1)
        let environments = EnvironmentRoutes(services: services)
        environments.register(on: v1)
        DataRoutes(services: services, environments: environments).register(on: v1)
        ResultsRoutes(services: services, environments: environments).register(on: v1)
        LifecycleRoutes(services: services, environments: environments).register(on: v1)
        SegmentRoutes(services: services, environments: environments).register(on: v1)
        GraphRoutes(services: services, environments: environments).register(on: router, v1: v1)
        return router
    }

    /// The application `rapport serve` runs: HTTP/1.1 with an idle (and header) timeout, malformed
    /// requests answered in the error shape, and each connection's hang-up cancelling its statements.
    public static func build(
        _ services: AppServices, host: String, port: Int, options: HTTPOptions = HTTPOptions(), logger: Logger
    ) -> Application<RouterResponder<AppRequestContext>> {
        build(router: buildRouter(services, options: options), host: host, port: port, options: options, logger: logger)
    }

    /// The same around a given router (the tests add routes of their own).
    public static func build(
        router: Router<AppRequestContext>, host: String, port: Int, options: HTTPOptions = HTTPOptions(), logger: Logger
    ) -> Application<RouterResponder<AppRequestContext>> {
        let idle = options.idleTimeout.components
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [MalformedRequestResponder(), ClientDisconnectHandler()],
            idleTimeout: .nanoseconds(idle.seconds * 1_000_000_000 + idle.attoseconds / 1_000_000_000))
        return Application(
            router: router,
            server: .http1(configuration: http1),
            configuration: .init(address: .hostname(host, port: port), serverName: "rapport"),
            logger: logger)
    }
}

/// Counts requests by method and status, and times them.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var response = try await next(request, context)
        let elapsed = ContinuousClock.now - started
        // The server's own time, for the browser test and for anyone looking at a page's timing.
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        response.headers[.init("Server-Timing")!] = String(format: "app;dur=%.1f", milliseconds)
        Counter(label: "rapport_http_requests_total", dimensions: [("method", request.method.rawValue), ("status", "\(response.status.code)")])
            .increment()
        Metrics.Timer(label: "rapport_http_request_duration", dimensions: [("method", request.method.rawValue)])
            .recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        return response
    }
}
