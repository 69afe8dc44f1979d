import Foundation
import Logging
import Mail
import ServiceLifecycle
import Platform

/// Sends the outbox through the SMTP relay, retrying with backoff; a relay that is down loses nothing.
public struct OutboxSender: Service {
    let platform: Platform
    let client: SMTPClient
    let interval: Duration
    let logger: Logger

    public init(platform: Platform, smtp: SMTPConfiguration, interval: Duration = .seconds(10), logger: Logger) {
        self.platform = platform
        self.client = SMTPClient(configuration: smtp, logger: logger)
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await sendDue(at: platform.now())
            } catch {
                logger.error("outbox pass failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// Sends every message due at `moment`; returns how many were sent and how many failed.
    @discardableResult
    public func sendDue(at moment: Date) async throws -> (sent: Int, failed: Int) {
        try await platform.outbox.withDue(at: moment) { entries, connection in
            var sent = 0
            var failed = 0
            for entry in entries {
                do {
                    try await client.send(
                        MailMessage(to: entry.recipient, subject: entry.subject, body: entry.body, messageID: "outbox-\(entry.id)@rapport"))
                    try await OutboxStore.markSent(connection, id: entry.id, at: moment)
                    sent += 1
                } catch {
                    logger.warning("outbox message not sent", metadata: ["message": "\(entry.id)", "error": "\(error)"])
                    try await OutboxStore.markFailed(connection, id: entry.id, error: "\(error)", at: moment)
                    failed += 1
                }
            }
            return (sent, failed)
        }
    }
}
