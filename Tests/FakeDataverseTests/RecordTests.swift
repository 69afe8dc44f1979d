import FakeDataverse
import Foundation
import Ingest
import Testing

/// Rows: upsert and delete by alternate key, conditions, value validation, lookups, queries.
@Suite("Fake Dataverse: rows")
struct RecordTests {
    static let host = FakeDataverseHarness.host

    @Test("PATCH by alternate key creates, then updates; key values in the body are ignored on update; return=representation")
    func upsertByKey() async throws {
        try await FakeDataverseHarness.run { harness in
            let token = try await harness.token()
            try await harness.provision(token: token)
            let key = "rapport_events(rapport_sourceid='evt-1',rapport_seq=1)"
            let created = try await harness.api("PATCH", key, token: token, json: #"{"rapport_name":"first","rapport_amount":12.5,"rapport_day":"2026-03-01"}"#)
            #expect(created.status == 204)
            #expect(created.header("OData-EntityId") == "\(harness.api)/\(key)")
            var rows = harness.store.rows(of: "rapport_event", in: Self.host)
            #expect(rows.count == 1)
            #expect(rows.first?["rapport_sourceid"] == .string("evt-1"))
            #expect(rows.first?["rapport_seq"] == .number(1))
            #expect(rows.first?["rapport_day"] == .string("2026-03-01"))

            // On update the key values in the body are ignored (documented).
            let updated = try await harness.api("PATCH", key, token: token, json: #"{"rapport_name":"second","rapport_seq":99}"#)
            #expect(updated.status == 204)
            rows = harness.store.rows(of: "rapport_event", in: Self.host)
            #expect(rows.count == 1)
            #expect(rows.first?["rapport_name"] == .string("second"))
            #expect(rows.first?["rapport_seq"] == .number(1))
            #expect(harness.store.counters.created == 1 && harness.store.counters.updated == 1)

            let represented = try await harness.api(
                "PATCH", "rapport_events(rapport_sourceid='evt-2',rapport_seq=2)?$select=rapport_eventid,rapport_name", token: token,
                json: #"{"rapport_name":"third"}"#, headers: [("Prefer", "return=representation")])
            #expect(represented.status == 201)
            #expect(represented.json?["rapport_name"] == .string("third"))
            #expect(represented.header("Preference-Applied") == "return=representation")
            #expect(represented.json?["@odata.etag"]?.stringValue?.hasPrefix("W/\"") == true)
            let again = try await harness.api(
                "PATCH", "rapport_events(rapport_sourceid='evt-2',rapport_seq=2)", token: token, json: #"{"rapport_name":"fourth"}"#,
                headers: [("Prefer", "return=representation")])
            #expect(again.status == 200)

            // A quote inside a key is doubled; the row reads back by the same key.
            let quoted = "rapport_events(rapport_sourceid='O''Brien',rapport_seq=3)"
            #expect(try await harness.api("PATCH", quoted, token: token, json: #"{"rapport_name":"quoted"}"#).status == 204)
            let read = try await harness.api("GET", quoted + "?$select=rapport_sourceid", token: token)
            #expect(read.json?["rapport_sourceid"] == .string("O'Brien"))
            // Strings in keys compare without case (the collation is case-insensitive).
            #expect(try await harness.api("GET", "rapport_events(rapport_sourceid='o''brien',rapport_seq=3)", token: token).status == 200)
        }
    }

    @Test("If-Match: * prevents create (404), If-None-Match: * prevents update (412), a stale ETag is 412")
    func conditions() async throws {
        try await FakeDataverseHarness.run { harness in
            let token = try await harness.token()
            try await harness.provision(token: token)
            let key = "rapport_events(rapport_sourceid='c',rapport_seq=1)"
            let noCreate = try await harness.api("PATCH", key, token: token, json: #"{"rapport_name":"x"}"#, headers: [("If-Match", "*")])
            #expect(noCreate.status == 404)
            #expect(harness.store.count(of: "rapport_event", in: Self.host) == 0)
            #expect(try await harness.api("PATCH", key, token: token, json: #"{"rapport_name":"x"}"#, headers: [("If-None-Match", "*")]).status == 204)
            let noUpdate = try await harness.api("PATCH", key, token: token, json: #"{"rapport_name":"y"}"#, headers: [("If-None-Match", "*")])
            #expect(noUpdate.status == 412)
            #expect(try await harness.api("PATCH", key, token: token, json: #"{"rapport_name":"y"}"#, headers: [("If-Match", "*")]).status == 204)
            let stale = try await harness.api("PATCH", key, token: token, json: #"{"rapport_name":"z"}"#, headers: [("If-Match", "W/\"1\"")])
            #expect(stale.status == 412 && stale.errorCode == "0x80060882")
            #expect(harness.store.rows(of: "rapport_event", in: Self.host).first?["rapport_name"] == .string("y"))
        }
    }

    @Test("a key that is not (yet) active, or columns that are no key, are refused; unsupported characters too")
    func keys() async throws {
        try await FakeDataverseHarness.run { harness in
            let token = try await harness.token()
            try #require(try await harness.api("POST", "EntityDefinitions", token: token, json: FakeDataverseHarness.eventTable).status == 204)
            for column in FakeDataverseHarness.columns {
                _ = try await harness.api("POST", "EntityDefinitions(LogicalName='rapport_event')/Attributes", token: token, json: column)
            }
            _ = try await harness.api("POST", "EntityDefinitions(LogicalName='rapport_event')/Keys", token: token, json: FakeDataverseHarness.naturalKey)
            // Pending: not usable yet.
            let pending = try await harness.api("PATCH", "rapport_events(rapport_sourceid='a',rapport_seq=1)", token: token, json: #"{"rapport_name":"x"}"#)
            #expect(pending.status == 400)
            #expect(pending.errorMessage?.hasPrefix("The key in the request URI is not valid for resource 'Microsoft.Dynamics.CRM.rapport_event'") == true)
            harness.store.activateKeys(of: "rapport_event", in: Self.host)
            #expect(try await harness.api("PATCH", "rapport_events(rapport_sourceid='a',rapport_seq=1)", token: token, json: #"{"rapport_name":"x"}"#).status == 204)
            // Only the key's exact column set.
            #expect(try await harness.api("PATCH", "rapport_events(rapport_sourceid='a')", token: token, json: #"{"rapport_name":"x"}"#).status == 400)
            #expect(try await harness.api("PATCH", "rapport_events(rapport_name='a',rapport_seq=1)", token: token, json: "{}").status == 400)
            // Integers are bare, strings quoted.
            #expect(try await harness.api("PATCH", "rapport_events(rapport_sourceid='a',rapport_seq='1')", token: token, json: "{}").status == 400)
            for value in ["a%2Fb", "a:b", "a*b", "a%25b", "a%26b", "a%2Bb", "a%3Cb"] {
                let reply = try await harness.api("PATCH", "rapport_events(rapport_sourceid='\(value)',rapport_seq=5)", token: token, json: #"{"rapport_name":"x"}"#)
                #expect(reply.status == 400, "\(value)")
            }
            #expect(harness.store.count(of: "rapport_event", in: Self.host) == 1)
        }
    }

    @Test("DELETE by key: 204, then 404 0x80040217")
    func deleteByKey() async throws {
        try await FakeDataverseHarness.run { harness in
            let token = try await harness.token()
            try await harness.provision(token: token)
            let key = "rapport_events(rapport_sourceid='d',rapport_seq=4)"
            #expect(try await harness.api("PATCH", key, token: token, json: #"{"rapport_name":"x"}"#).status == 204)
            #expect(try await harness.api("DELETE", key, token: token).status == 204)
            let gone = try await harness.api("DELETE", key, token: token)
            #expect(gone.status == 404 && gone.errorCode == "0x80040217")
            #expect(harness.store.counters.deleted == 1)
            #expect(harness.store.count(of: "rapport_event", in: Self.host) == 0)
        }
    }

    @Test("values are checked against the columns: unknown property, too long, out of range, decimals, DateOnly, JSON types")
    func validation() async throws {
        try await FakeDataverseHarness.run { harness in
            let token = try await harness.token()
            try await harness.provision(token: token)
            let key = "rapport_events(rapport_sourceid='v',rapport_seq=1)"
            func patch(_ json: String) async throws -> FakeDataverseHarness.Reply { try await harness.api("PATCH", key, token: token, json: json) }
            let unknown = try await patch(#"{"rapport_nothing":"x"}"#)
            #expect(unknown.status == 400 && unknown.errorCode == "0x80048d19" && unknown.errorMessage?.contains("rapport_nothing") == true)
            let long = try await patch(#"{"rapport_name":"\#(String(repeating: "x", count: 101))"}"#)
            #expect(long.status == 400 && long.errorCode == "0x80044331")
            #expect(try await patch(#"{"rapport_name":"\#(String(repeating: "x", count: 100))"}"#).status == 204)
            let range = try await harness.api("PATCH", "rapport_events(rapport_sourceid='v',rapport_seq=2000000)", token: token, json: "{}")
            #expect(range.status == 400)
            let amount = try await patch(#"{"rapport_amount":1000.5}"#)
            #expect(amount.status == 400 && amount.errorCode == "0x8004431a")
            #expect(try await patch(#"{"rapport_amount":1.234}"#).status == 400)
            #expect(try await patch(#"{"rapport_amount":999.99}"#).status == 204)
            #expect(try await patch(#"{"rapport_day":"2026-02-30"}"#).status == 400)
            #expect(try await patch(#"{"rapport_day":"2026-03-01T00:00:00Z"}"#).status == 400)
            #expect(try await patch(#"{"rapport_done":"yes"}"#).status == 400)
            #expect(try await patch(#"{"rapport_name":12}"#).status == 400)
            #expect(try await patch(#"{"rapport_seq":1.5}"#).status == 400)
            // A lookup is written with @odata.bind on its navigation property, never by its column name.
            #expect(try await patch(#"{"rapport_accountid":"\#(UUID().uuidString)"}"#).status == 400)
            #expect(try await patch(#"{"rapport_accountid@odata.bind":"accounts(\#(UUID().uuidString))"}"#).status == 400)
            #expect(try await patch("not json").status == 400)
            #expect(harness.store.rows(of: "rapport_event", in: Self.host).first?["rapport_amount"] == .number(999.99))
        }
    }

    @Test("a lookup to account: bound by @odata.bind, read as _x_value; a missing account is 404")
    func lookup() async throws {
        try await FakeDataverseHarness.run { harness in
            let token = try await harness.token()
            try await harness.provision(token: token)
            let account = harness.store.addAccount(in: Self.host, name: "Contoso", accountNumber: "C-1")
            let key = "rapport_events(rapport_sourceid='l',rapport_seq=1)"
            let bound = try await harness.api("PATCH", key, token: token, json: #"{"rapport_name":"x","rapport_AccountId@odata.bind":"accounts(\#(account.uuidString))"}"#)
            #expect(bound.status == 204)
            let read = try await harness.api("GET", key + "?$select=rapport_name,_rapport_accountid_value", token: token)
            #expect(read.json?["_rapport_accountid_value"] == .string(account.uuidString.lowercased()))
            let missing = try await harness.api(
                "PATCH", key, token: token, json: #"{"rapport_AccountId@odata.bind":"/accounts(\#(UUID().uuidString))"}"#)
            #expect(missing.status == 404 && missing.errorCode == "0x80040217")
            // Deleting the account removes the link (RemoveLink).
            #expect(try await harness.api("DELETE", "accounts(\(account.uuidString))", token: token).status == 204)
            #expect(harness.store.rows(of: "rapport_event", in: Self.host).first?["rapport_accountid"] == nil)
        }
    }

    @Test("GET a collection: $select, $filter, $count, paging by odata.maxpagesize with @odata.nextLink")
    func query() async throws {
        try await FakeDataverseHarness.run { harness in
            let token = try await harness.token()
            try await harness.provision(token: token)
            for seq in 1...7 {
                let reply = try await harness.api(
                    "PATCH", "rapport_events(rapport_sourceid='q',rapport_seq=\(seq))", token: token,
                    json: #"{"rapport_name":"n\#(seq)","rapport_done":\#(seq % 2 == 0)}"#)
                #expect(reply.status == 204)
            }
            var url = "\(harness.api)/rapport_events?$select=rapport_name,rapport_seq&$filter=rapport_sourceid%20eq%20'q'&$count=true"
            var names: [String] = []
            var pages = 0
            while true {
                let reply = try await harness.send(
                    "GET", url, headers: [("Authorization", "Bearer \(token)"), ("Accept", "application/json"), ("Prefer", "odata.maxpagesize=3")])
                #expect(reply.status == 200)
                pages += 1
                if pages == 1 { #expect(reply.json?["@odata.count"] == .number(7)) }
                names += reply.json?["value"]?.arrayValue?.compactMap { $0.objectValue?["rapport_name"]?.stringValue } ?? []
                guard let next = reply.json?["@odata.nextLink"]?.stringValue else { break }
                #expect(next.hasPrefix("\(harness.api)/rapport_events?"))
                url = next
            }
            #expect(pages == 3)
            #expect(names == (1...7).map { "n\($0)" })
            let done = try await harness.api("GET", "rapport_events?$select=rapport_seq&$filter=rapport_done%20eq%20true%20and%20rapport_seq%20gt%202", token: token)
            #expect(done.json?["value"]?.arrayValue?.count == 2)
            #expect(try await harness.api("GET", "rapport_events?$select=nothing", token: token).status == 400)
            #expect(try await harness.api("GET", "rapport_events?$skip=2", token: token).status == 400)
        }
    }
}
