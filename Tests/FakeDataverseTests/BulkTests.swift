import FakeDataverse
import Foundation
import Ingest
import Testing

/// UpsertMultiple and $batch: all or nothing, duplicates, change sets, Content-ID references.
@Suite("Fake Dataverse: UpsertMultiple and $batch")
struct BulkTests {
    static let host = FakeDataverseHarness.host

    static func target(_ source: String, _ seq: Int, name: String, type: String = "Microsoft.Dynamics.CRM.rapport_event") -> String {
        #"{"@odata.type":"\#(type)","rapport_name":"\#(name)","@odata.id":"rapport_events(rapport_sourceid='\#(source)',rapport_seq=\#(seq))"}"#
    }

    static func targets(_ items: [String]) -> String { #"{"Targets":[\#(items.joined(separator: ","))]}"# }

    @Test("UpsertMultiple writes every target or none; 204 without a body")
    func upsertMultiple() async throws {
        try await FakeDataverseHarness.run { harness in
            let token = try await harness.token()
            try await harness.provision(token: token)
            let path = "rapport_events/Microsoft.Dynamics.CRM.UpsertMultiple"
            let good = try await harness.api("POST", path, token: token, json: Self.targets((1...3).map { Self.target("u", $0, name: "n\($0)") }))
            #expect(good.status == 204)
            #expect(good.body.isEmpty)
            #expect(harness.store.count(of: "rapport_event", in: Self.host) == 3)

            // The third target is invalid: nothing of the request is kept, not even the update of target 1.
            let bad = [Self.target("u", 1, name: "changed"), Self.target("u", 4, name: "new"), Self.target("u", 5, name: String(repeating: "x", count: 101))]
            let refused = try await harness.api("POST", path, token: token, json: Self.targets(bad))
            #expect(refused.status == 400 && refused.errorCode == "0x80044331")
            let rows = harness.store.rows(of: "rapport_event", in: Self.host)
            #expect(rows.count == 3)
            #expect(rows.first?["rapport_name"] == .string("n1"))
            #expect(harness.store.counters.rolledBackRequests == 1)

            // Two targets for one row.
            let duplicate = try await harness.api("POST", path, token: token, json: Self.targets([Self.target("u", 7, name: "a"), Self.target("u", 7, name: "b")]))
            #expect(duplicate.status == 400)
            // Every target needs @odata.type.
            let untyped = try await harness.api("POST", path, token: token, json: Self.targets([Self.target("u", 8, name: "a", type: "Microsoft.Dynamics.CRM.account")]))
            #expect(untyped.status == 400)
            #expect(try await harness.api("POST", path, token: token, json: #"{"Targets":[{"rapport_name":"x"}]}"#).status == 400)
            #expect(harness.store.count(of: "rapport_event", in: Self.host) == 3)

            // An injected failure of operation 2: the rollback covers operation 1.
            harness.store.updateFaults { $0.failOperation = .init(operation: 2) }
            let injected = try await harness.api("POST", path, token: token, json: Self.targets([Self.target("u", 10, name: "a"), Self.target("u", 11, name: "b")]))
            #expect(injected.status == 400)
            #expect(harness.store.count(of: "rapport_event", in: Self.host) == 3)
            #expect(harness.store.faults.failOperation == nil)
            #expect(harness.store.counters.rolledBackRequests == 2)
            #expect(harness.store.counters.upsertMultipleCalls == 6)
            #expect(harness.store.counters.upsertMultipleTargets == 3)
        }
    }

    static func part(_ method: String, _ url: String, body: String? = nil, contentID: Int? = nil) -> String {
        var text = "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n"
        if let contentID { text += "Content-ID: \(contentID)\r\n" }
        text += "\r\n\(method) \(url) HTTP/1.1\r\n"
        if let body { text += "Content-Type: application/json; type=entry\r\n\r\n\(body)\r\n" } else { text += "\r\n" }
        return text
    }

    static func changeSet(_ parts: [String], boundary: String) -> String {
        "Content-Type: multipart/mixed; boundary=\(boundary)\r\n\r\n" + parts.map { "--\(boundary)\r\n\($0)" }.joined() + "--\(boundary)--\r\n"
    }

    static func batch(_ parts: [String], boundary: String = "batch_AAA123") -> [UInt8] {
        Array((parts.map { "--\(boundary)\r\n\($0)" }.joined() + "--\(boundary)--\r\n").utf8)
    }

    func post(_ harness: FakeDataverseHarness, _ body: [UInt8], token: String, continueOnError: Bool = false) async throws -> FakeDataverseHarness.Reply {
        var headers = [
            ("Authorization", "Bearer \(token)"), ("Accept", "application/json"), ("OData-MaxVersion", "4.0"), ("OData-Version", "4.0"),
            ("If-None-Match", "null"), ("Content-Type", "multipart/mixed; boundary=\"batch_AAA123\""),
        ]
        if continueOnError { headers.append(("Prefer", "odata.continue-on-error")) }
        return try await harness.send("POST", "\(harness.api)/$batch", headers: headers, body: body)
    }

    @Test("a change set failing in its third operation leaves nothing of it; the batch answers 400 with that error")
    func changeSet() async throws {
        try await FakeDataverseHarness.run { harness in
            let token = try await harness.token()
            try await harness.provision(token: token)
            let prefix = "/api/data/v9.2/"
            let long = String(repeating: "x", count: 101)
            let body = Self.batch([
                Self.part("PATCH", prefix + "rapport_events(rapport_sourceid='b',rapport_seq=1)", body: #"{"rapport_name":"before"}"#),
                Self.changeSet(
                    [
                        Self.part("PATCH", prefix + "rapport_events(rapport_sourceid='b',rapport_seq=2)", body: #"{"rapport_name":"one"}"#, contentID: 1),
                        Self.part("PATCH", "\(harness.api)/rapport_events(rapport_sourceid='b',rapport_seq=1)", body: #"{"rapport_name":"two"}"#, contentID: 2),
                        Self.part("PATCH", prefix + "rapport_events(rapport_sourceid='b',rapport_seq=3)", body: #"{"rapport_name":"\#(long)"}"#, contentID: 3),
                    ], boundary: "changeset_BBB456"),
                Self.part("GET", prefix + "WhoAmI"),
            ])
            let reply = try await post(harness, body, token: token)
            #expect(reply.status == 400)
            let type = try #require(reply.header("Content-Type"))
            #expect(type.hasPrefix("multipart/mixed; boundary=batchresponse_"))
            #expect(reply.text.contains("HTTP/1.1 400 Bad Request"))
            #expect(reply.text.contains("0x80044331"))
            #expect(reply.text.contains("Content-ID: 3"))
            #expect(!reply.text.contains("batch_AAA123"))
            let rows = harness.store.rows(of: "rapport_event", in: Self.host)
            #expect(rows.count == 1)
            #expect(rows.first?["rapport_name"] == .string("before"))
            #expect(harness.store.counters.rolledBackChangeSets == 1)
            #expect(harness.store.counters.batchCalls == 1)

            // With odata.continue-on-error: 200, each part's own answer, the change set still undone.
            let continued = try await post(harness, body, token: token, continueOnError: true)
            #expect(continued.status == 200)
            #expect(continued.text.components(separatedBy: "HTTP/1.1 204 No Content").count - 1 == 1)
            #expect(continued.text.contains("HTTP/1.1 400 Bad Request"))
            #expect(continued.text.contains("HTTP/1.1 200 OK"))
            #expect(harness.store.count(of: "rapport_event", in: Self.host) == 1)
        }
    }

    @Test("a change set commits with Content-ID references; GET inside a change set and more than 1000 operations are refused")
    func references() async throws {
        try await FakeDataverseHarness.run { harness in
            let token = try await harness.token()
            try await harness.provision(token: token)
            let prefix = "/api/data/v9.2/"
            let body = Self.batch([
                Self.changeSet(
                    [
                        Self.part("POST", prefix + "rapport_events", body: #"{"rapport_name":"created","rapport_sourceid":"r","rapport_seq":1}"#, contentID: 1),
                        Self.part("PATCH", "$1", body: #"{"rapport_name":"renamed"}"#, contentID: 2),
                    ], boundary: "changeset_CCC"),
                Self.part("GET", prefix + "rapport_events?$select=rapport_name"),
            ])
            let reply = try await post(harness, body, token: token)
            #expect(reply.status == 200)
            #expect(reply.text.contains("boundary=changesetresponse_"))
            #expect(reply.text.contains("Content-ID: 1"))
            #expect(reply.text.contains("OData-EntityId: \(harness.api)/rapport_events("))
            #expect(reply.text.contains("\"rapport_name\":\"renamed\""))
            #expect(harness.store.rows(of: "rapport_event", in: Self.host).first?["rapport_name"] == .string("renamed"))

            let undeclared = Self.batch([Self.changeSet([Self.part("PATCH", "$9", body: "{}", contentID: 1)], boundary: "changeset_D")])
            let missing = try await post(harness, undeclared, token: token)
            #expect(missing.status == 400)
            #expect(missing.text.contains("Content-ID Reference: '$9' does not exist in the batch context."))

            let withGet = Self.batch([Self.changeSet([Self.part("GET", prefix + "WhoAmI")], boundary: "changeset_E")])
            #expect(try await post(harness, withGet, token: token).status == 400)

            let tooMany = Self.batch(Array(repeating: Self.part("GET", prefix + "WhoAmI"), count: 1001))
            let refused = try await post(harness, tooMany, token: token)
            #expect(refused.status == 400)
            let enough = Self.batch(Array(repeating: Self.part("GET", prefix + "WhoAmI"), count: 1000))
            #expect(try await post(harness, enough, token: token).status == 200)
        }
    }
}
