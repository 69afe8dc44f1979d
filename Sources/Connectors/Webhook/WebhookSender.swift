import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Platform
import ServiceLifecycle

/// Delivers queued webhook posts: signed at send time, retried with the outbox's backoff, never lost.
///
/// Each delivery is `POST {url}` with the JSON body and the headers `Rapport-Event`,
/// `Rapport-Delivery` (the outbox id: a receiver drops repeats) and `Rapport-Signature`
/// (`t=…,v1=…`, see `WebhookSignature`). A 2xx answer ends it; anything else is tried
/// again 30 s later, doubling up to an hour. A delivery whose webhook was removed is dropped.
public struct WebhookSender: Sendable {
    let platform: Platform
    let owner: HTTPClientOwner
    let interval: Duration
    let timeout: Duration
    let logger: Logger

    public init(platform: Platform, interval: Duration = .seconds(5), timeout: Duration = .seconds(10), logger: Logger) {
        self.platform = platform
        self.interval = interval
        self.timeout = timeout
        self.logger = logger
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: timeout.timeAmount)
        configuration.redirectConfiguration = .disallow
        self.owner = HTTPClientOwner(HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration))
    }

    /// Sends every delivery due at `moment`; returns how many were sent, failed and dropped.
    @discardableResult
    public func sendDue(at moment: Date) async throws -> (sent: Int, failed: Int, dropped: Int) {
        try await platform.outbox.withDue(.webhook, at: moment) { entries, connection in
            var tally = (sent: 0, failed: 0, dropped: 0)
            for entry in entries {
                guard let tenant = entry.tenantID, let environment = entry.environmentID,
                    let target = try await platform.webhooks.signingTarget(tenant: tenant, environment: environment)
                else {
                    try await OutboxStore.markDropped(connection, id: entry.id, reason: "the environment's webhook was removed", at: moment)
                    tally.dropped += 1
                    continue
                }
                let body = Array(entry.body.utf8)
                var request = HTTPClientRequest(url: target.url)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "User-Agent", value: "Rapport-Webhook/1")
                request.headers.add(name: "Rapport-Event", value: entry.subject)
                request.headers.add(name: "Rapport-Delivery", value: String(entry.id))
                request.headers.add(name: WebhookSignature.headerName, value: WebhookSignature.header(secret: target.secret, timestamp: Date(), body: body))
                request.body = .bytes(ByteBuffer(bytes: body))
                do {
                    let response = try await owner.client.execute(request, timeout: timeout.timeAmount)
                    _ = try? await response.body.collect(upTo: 64 << 10)
                    guard (200..<300).contains(Int(response.status.code)) else {
                        throw WebhookRefusal(status: Int(response.status.code))
                    }
                    try await OutboxStore.markSent(connection, id: entry.id, at: moment)
                    tally.sent += 1
                } catch {
                    logger.warning("webhook not delivered", metadata: ["delivery": "\(entry.id)", "error": "\(error)"])
                    try await OutboxStore.markFailed(connection, id: entry.id, error: "\(error)", at: moment)
                    tally.failed += 1
                }
            }
            return tally
        }
    }

    struct WebhookRefusal: Error, CustomStringConvertible {
        var status: Int
        var description: String { "the receiver answered HTTP \(status)" }
    }
}

extension WebhookSender: Service {
    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await sendDue(at: platform.now())
            } catch {
                logger.error("webhook pass failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        try? await owner.client.shutdown()
    }
}
