import Foundation
import Hummingbird
import Logging
import Postgres
import Prometheus
import Platform

/// Liveness, readiness (every database answers), Prometheus metrics and the OpenAPI document.
struct HealthRoutes {
    let platform: Platform
    let metrics: PrometheusCollectorRegistry

    func register(on router: Router<AppRequestContext>) {
        router.get("health/live") { _, _ in
            try json(["status": "live"])
        }
        router.get("health/ready", use: ready)
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
        }
        router.get("openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.json)))
        }
    }

    struct Readiness: Encodable {
        var status: String
        var databases: [String: String]
    }

    @Sendable func ready(_ request: Request, context: AppRequestContext) async throws -> Response {
        var databases: [String: String] = [:]
        var targets: [(String, PostgresPool)] = [("control", platform.control.pool)]
        targets += platform.regions.byRegion.sorted { $0.key < $1.key }.map { ($0.key.rawValue, $0.value.pool) }
        for (name, pool) in targets {
            do {
                try await pool.query("SELECT 1")
                databases[name] = "ok"
            } catch {
                context.logger.warning("database not ready", metadata: ["database": "\(name)"])
                databases[name] = "unreachable"
            }
        }
        let ready = databases.values.allSatisfy { $0 == "ok" }
        return try json(Readiness(status: ready ? "ready" : "not_ready", databases: databases), status: ready ? .ok : .serviceUnavailable)
    }
}
