import Connectors
import Foundation
import HummingbirdTesting
import Ingest
import Platform
import TestSupport
import Testing
import Worker

@Suite("Webhook on publish")
struct WebhookTests {
    @Test("a published run is announced to the webhook, signed with the secret shown once, carrying counts and links only")
    func announcesPublishedRuns() async throws {
        let harness = try await GraphHarness.make(.init(mailboxes: 3, messagesPerMailbox: 12, meetingsPerMailbox: 4, seed: 71), platform: { $0.webhooksAllowHTTP = true })
        let receiver = WebhookReceiver()
        try await receiver.start()
        try await harness.test { client in
            let fixture = try await GraphTenantFixture.create(client, harness: harness)
            let path = "\(fixture.base)/webhook"
            #expect(try await client.call(.get, path, key: fixture.adminKey).status == .notFound)
            #expect(try await client.call(.put, path, key: fixture.viewerKey, json: ["url": receiver.url]).status == .forbidden)
            let refused = try await client.call(.put, path, key: fixture.adminKey, json: ["url": "ftp://hooks.example/x"])
            #expect(refused.status == .badRequest)
            #expect(refused.errorField == "url")

            let saved = try await client.call(.put, path, key: fixture.adminKey, json: ["url": receiver.url])
            #expect(saved.status == .ok, "\(saved.text)")
            let secret = try #require(saved["secret"] as? String)
            #expect(secret.hasPrefix("whsec_"))
            let shown = try await client.call(.get, path, key: fixture.adminKey)
            #expect(shown["url"] as? String == receiver.url)
            #expect(shown["secret"] == nil, "the secret is shown only when saved")
            #expect(!shown.text.contains(secret))

            let runID = try await fixture.runNow(client)
            let run = try await GraphRunTests().execute(harness, fixture, runID)
            #expect(run.status == .succeeded, "\(run.error ?? "")")
            #expect(run.steps.first { $0.step == .export }?.state == .skipped, "no exporter serves the harness")
            let notify = try #require(run.steps.first { $0.step == .notify })
            #expect(notify.state == .succeeded)
            #expect(notify.counts["deliveries"] == 1)

            let sender = WebhookSender(platform: harness.platform, logger: .init(label: "webhooks"))
            let sent = try await sender.sendDue(at: harness.platform.now())
            #expect(sent.sent == 1 && sent.failed == 0)
            let delivery = try #require(receiver.deliveries.first)
            #expect(delivery.headers["Rapport-Event"] == "run.published")
            #expect(delivery.headers["Content-Type"] == "application/json")
            let signature = try #require(delivery.headers["Rapport-Signature"])
            #expect(WebhookSignature.verify(header: signature, secret: secret, body: delivery.body, now: Date()))
            #expect(!WebhookSignature.verify(header: signature, secret: secret + "x", body: delivery.body, now: Date()), "another secret does not verify")
            var tampered = delivery.body
            tampered[tampered.count / 2] ^= 1
            #expect(!WebhookSignature.verify(header: signature, secret: secret, body: tampered, now: Date()), "a changed body does not verify")
            #expect(!WebhookSignature.verify(header: signature, secret: secret, body: delivery.body, now: Date().addingTimeInterval(3600)), "a stale one does not")

            let body = try #require(try JSONParser.parse(delivery.body).objectValue)
            let summary = try #require(try await harness.platform.scope(for: try await harness.platform.control.environment(tenant: fixture.tenantID, id: fixture.environment)).results.summary())
            #expect(body["event"]?.stringValue == "run.published")
            #expect(body["run_id"]?.stringValue == runID.uuidString.lowercased())
            #expect(body["environment_id"]?.stringValue == fixture.environment.uuidString.lowercased())
            #expect(body["enriched_customers"] == .number(Double(summary.enrichedCustomers)))
            #expect(body["emails_processed"] == .number(Double(summary.emailsProcessed)))
            #expect(body["export"]?.objectValue?["state"]?.stringValue == "skipped")
            #expect(body["links"]?.objectValue?["rows"]?.stringValue?.hasSuffix("/results/rows") == true)
            // Counts and links only: no account id, no address.
            let text = String(decoding: delivery.body, as: UTF8.self)
            #expect(!text.contains("@"), "an address in the webhook body: \(text)")
            #expect(text.range(of: "\"A[0-9]+\"", options: .regularExpression) == nil, "an account id in the webhook body: \(text)")
        }
        await receiver.stop()
        await harness.shutdown()
    }

    @Test("a refused delivery is retried with backoff until taken; a rotated secret signs the retry; a removed webhook drops what is queued")
    func retriesAndDrops() async throws {
        let harness = try await GraphHarness.make(.init(mailboxes: 2, messagesPerMailbox: 8, meetingsPerMailbox: 2, seed: 72), platform: { $0.webhooksAllowHTTP = true })
        let receiver = WebhookReceiver()
        try await receiver.start()
        try await harness.test { client in
            let fixture = try await GraphTenantFixture.create(client, harness: harness)
            let path = "\(fixture.base)/webhook"
            _ = try await client.call(.put, path, key: fixture.adminKey, json: ["url": receiver.url])
            receiver.answer(500)
            let run = try await GraphRunTests().execute(harness, fixture, try await fixture.runNow(client))
            #expect(run.status == .succeeded)
            let sender = WebhookSender(platform: harness.platform, logger: .init(label: "webhooks"))
            let moment = harness.platform.now()
            let first = try await sender.sendDue(at: moment)
            #expect(first.failed == 1 && first.sent == 0)
            let pending = try await harness.platform.outbox.list(pendingOnly: true).filter { $0.kind == .webhook }
            #expect(pending.count == 1)
            #expect(pending.first?.lastError?.contains("500") == true, "\(pending.first?.lastError ?? "")")

            // Rotating the secret: the retry is signed with the new one.
            let rotated = try #require(try await client.call(.put, path, key: fixture.adminKey, json: ["url": receiver.url])["secret"] as? String)
            receiver.answer(204)
            #expect(try await sender.sendDue(at: moment.addingTimeInterval(5)).sent == 0, "not due before its backoff")
            let retried = try await sender.sendDue(at: moment.addingTimeInterval(31))
            #expect(retried.sent == 1)
            #expect(receiver.deliveries.count == 2, "the refused attempt, then the one taken")
            let last = try #require(receiver.deliveries.last)
            #expect(WebhookSignature.verify(header: last.headers["Rapport-Signature"] ?? "", secret: rotated, body: last.body, now: Date()))
            #expect(receiver.deliveries[0].headers["Rapport-Delivery"] == last.headers["Rapport-Delivery"], "the same delivery id on a retry")

            // A second run's delivery waits; the webhook is removed; it is dropped, not sent.
            receiver.answer(503)
            _ = try await GraphRunTests().execute(harness, fixture, try await fixture.runNow(client))
            #expect(try await sender.sendDue(at: harness.platform.now()).failed == 1)
            #expect(try await client.call(.delete, path, key: fixture.adminKey).status == .noContent)
            let dropped = try await sender.sendDue(at: harness.platform.now().addingTimeInterval(3600))
            #expect(dropped.dropped == 1 && dropped.sent == 0)
            #expect(try await harness.platform.outbox.list(pendingOnly: true).filter { $0.kind == .webhook }.isEmpty)
            let third = try await GraphRunTests().execute(harness, fixture, try await fixture.runNow(client))
            #expect(third.steps.first { $0.step == .notify }?.state == .skipped, "no webhook, nothing queued")
        }
        await receiver.stop()
        await harness.shutdown()
    }
}
