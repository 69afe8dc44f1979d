/// Renames Hummingbird's `MetricsMiddleware` series to Rapport's Prometheus names.
///
/// `hb.requests` becomes `rapport_http_requests_total`, `http.server.request.duration`
/// `rapport_http_request_duration`, `hb.request.errors` `rapport_http_request_errors_total`
/// and `http.server.active_requests` `rapport_http_active_requests`; their labels
/// become `route`, `method`, `status` and `error`. Every other series keeps its name.
enum HTTPMetricNames {
    static let names: [String: String] = [
        "hb.requests": "rapport_http_requests_total",
        "http.server.request.duration": "rapport_http_request_duration",
        "hb.request.errors": "rapport_http_request_errors_total",
        "http.server.active_requests": "rapport_http_active_requests",
    ]

    static let labels: [String: String] = [
        "http.route": "route", "http.request.method": "method", "http.response.status_code": "status", "error.type": "error",
    ]

    /// The `nameAndLabelSanitizer` of the Prometheus factory.
    @Sendable static func rename(_ name: String, _ dimensions: [(String, String)]) -> (String, [(String, String)]) {
        guard let renamed = names[name] else { return (name, dimensions) }
        return (renamed, dimensions.map { (labels[$0.0] ?? $0.0, $0.1) })
    }
}
