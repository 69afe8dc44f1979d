import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import Metrics
import NIOCore
import Platform
import Prometheus
import ServiceLifecycle

/// The HTTP side of Rapport: the admin API and the pages.
public enum AdminApplication {
    /// The Prometheus registry that `/metrics` serves; swift-metrics is bootstrapped to it once per process.
    public static let metricsRegistry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = HTTPMetricNames.rename
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// Every route, with its middleware, as `rapport serve` and the tests use it.
    ///
    /// `/v1/tenants/{tenant}` is one group whose context holds the caller of that
    /// tenant; `…/environments/{environment}` inside it holds the environment
    /// and its region stores. The pages have the same two levels under `/ui`.
    public static func buildRouter(_ services: AppServices, options: HTTPOptions = HTTPOptions()) -> Router<AppRequestContext> {
        let platform = services.platform
        let router = Router(context: AppRequestContext.self)
        router.addMiddleware {
            ServerTimingMiddleware()
            MetricsMiddleware()
            APIErrorMiddleware()
            RequestBudgetMiddleware(options: options)
        }
        HealthRoutes(platform: platform, metrics: metricsRegistry).register(on: router)

        // HTML for people: a failure is an error page, never JSON.
        let consentPages = router.group().add(middleware: PageErrorMiddleware(render: ConsentPageRoutes.errorPage))
        ConsentPageRoutes(platform: platform).register(on: consentPages)
        let pages = PageRoutes(platform: platform, options: options)
        let ui = router.group("ui").add(middleware: PageErrorMiddleware(render: pages.renderer.errorPage))
        pages.register(on: ui)

        let v1 = router.group("v1").add(middleware: AuthenticationMiddleware(control: platform.control))
        OperatorRoutes(platform: platform, maximumBodyBytes: services.maximumBodyBytes).register(on: v1)
        let tenant = v1.group("tenants/{tenant}", context: TenantRequestContext.self)
        let environment = tenant.group("environments/{environment}")
            .add(middleware: EnvironmentMiddleware(platform: platform))
            .group(context: EnvironmentRequestContext.self)
        TenantRoutes(platform: platform, maximumBodyBytes: services.maximumBodyBytes).register(on: tenant)
        EnvironmentRoutes(platform: platform, maximumBodyBytes: services.maximumBodyBytes).register(tenant: tenant, environment: environment)
        LifecycleRoutes(services: services).register(tenant: tenant, environment: environment)
        DataRoutes(services: services).register(on: environment)
        ResultsRoutes(platform: platform).register(on: environment)
        SegmentRoutes(platform: platform, maximumBodyBytes: services.maximumBodyBytes).register(on: environment)
        GraphRoutes(platform: platform, maximumBodyBytes: services.maximumBodyBytes)
            .register(pages: consentPages, tenant: tenant, environment: environment)
        return router
    }

    /// The application `rapport serve` runs: HTTP/1.1 with an idle (and header) timeout, malformed
    /// requests answered in the error shape, and each connection's hang-up cancelling its statements.
    public static func build(
        _ services: AppServices, host: String, port: Int, options: HTTPOptions = HTTPOptions(), logger: Logger
    ) -> Application<RouterResponder<AppRequestContext>> {
        build(router: buildRouter(services, options: options), host: host, port: port, options: options, logger: logger)
    }

    /// The same around a given router (the tests add routes of their own), running `services` with the server.
    public static func build(
        router: Router<AppRequestContext>, host: String, port: Int, options: HTTPOptions = HTTPOptions(), services: [any Service] = [],
        logger: Logger
    ) -> Application<RouterResponder<AppRequestContext>> {
        let idle = options.idleTimeout.components
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [MalformedRequestResponder(), ClientDisconnectHandler()],
            idleTimeout: .nanoseconds(idle.seconds * 1_000_000_000 + idle.attoseconds / 1_000_000_000))
        return Application(
            router: router,
            server: .http1(configuration: http1),
            configuration: .init(address: .hostname(host, port: port), serverName: "rapport"),
            services: services,
            logger: logger)
    }
}

extension AdminApplication {
    /// The server `rapport serve` runs, built from its settings: the pools first, then `services`
    /// (scheduler, outbox, workers…), then the HTTP server; pending migrations run before it listens.
    ///
    /// Shutdown (SIGTERM, SIGINT) goes the other way: the server stops taking requests,
    /// `services` finish, and the pools close last. A failure anywhere cancels the group,
    /// and the pools still close.
    public static func build(
        runtime: AppRuntime, settings: AppSettings, services: [any Service] = [], logger: Logger
    ) -> Application<RouterResponder<AppRequestContext>> {
        var app = build(
            router: buildRouter(runtime.services, options: settings.http), host: settings.host, port: settings.port,
            options: settings.http, services: runtime.pools + services, logger: logger)
        app.beforeServerStarts {
            try await runtime.migrate()
            logger.info("listening", metadata: ["address": "http://\(settings.host):\(settings.port)"])
        }
        return app
    }
}
