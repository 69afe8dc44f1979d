import FakeDataverse
import Foundation
import Ingest
import Testing

/// Tables, columns, the lookup to account and alternate keys through the metadata Web API.
@Suite("Fake Dataverse: metadata")
struct MetadataTests {
    @Test("a table with columns, a lookup to account and an alternate key; the key goes Pending → InProgress → Active")
    func provision() async throws {
        try await FakeDataverseHarness.run { harness in
            let token = try await harness.token()
            let (entitySet, statuses) = try await harness.provision(token: token)
            #expect(entitySet == "rapport_events")
            #expect(statuses == ["Pending", "InProgress", "Active"])

            let table = try #require(harness.store.table("rapport_event", in: FakeDataverseHarness.host))
            #expect(table.primaryIdAttribute == "rapport_eventid")
            #expect(table.primaryNameAttribute == "rapport_name")
            #expect(table.solution == "rapportsolution")
            #expect(table.column("rapport_name")?.type == .string(maxLength: 100))
            #expect(table.column("rapport_sourceid")?.type == .string(maxLength: 50))
            #expect(table.column("rapport_seq")?.type == .integer(minValue: 0, maxValue: 1_000_000))
            #expect(table.column("rapport_amount")?.type == .decimal(minValue: 0, maxValue: 1000, precision: 2))
            #expect(table.column("rapport_day")?.type == .dateOnly)
            #expect(table.column("rapport_done")?.type == .boolean)
            #expect(table.column("rapport_accountid")?.type == .lookup(target: "account"))
            #expect(table.column("rapport_accountid")?.navigationProperty == "rapport_AccountId")
            #expect(table.keys.map(\.status) == [.active])
            #expect(table.keys.first?.attributes == ["rapport_sourceid", "rapport_seq"])

            let read = try await harness.api("GET", "EntityDefinitions(LogicalName='rapport_event')?$select=LogicalName,EntitySetName&$expand=Attributes($select=LogicalName,AttributeType),Keys", token: token)
            #expect(read.status == 200)
            #expect(read.json?["@odata.context"]?.stringValue == "\(harness.api)/$metadata#EntityDefinitions(LogicalName,EntitySetName)/$entity")
            let attributes = read.json?["Attributes"]?.arrayValue?.compactMap { $0.objectValue?["LogicalName"]?.stringValue } ?? []
            #expect(Set(attributes).isSuperset(of: ["rapport_eventid", "rapport_name", "rapport_seq", "rapport_accountid"]))
            #expect(read.json?["Keys"]?.arrayValue?.first?.objectValue?["EntityKeyIndexStatus"]?.stringValue == "Active")

            let missing = try await harness.api("GET", "EntityDefinitions(LogicalName='rapport_nothing')", token: token)
            #expect(missing.status == 404)
            let unknownSelect = try await harness.api("GET", "EntityDefinitions(LogicalName='rapport_event')?$select=Nope", token: token)
            #expect(unknownSelect.status == 400)
            let many = try await harness.api("GET", "EntityDefinitions(LogicalName='rapport_event')/ManyToOneRelationships?$select=ReferencingEntityNavigationPropertyName", token: token)
            #expect(many.json?["value"]?.arrayValue?.first?.objectValue?["ReferencingEntityNavigationPropertyName"]?.stringValue == "rapport_AccountId")
        }
    }

    @Test("the documented refusals: prefix, duplicates, required properties, key limits")
    func refusals() async throws {
        try await FakeDataverseHarness.run { harness in
            let token = try await harness.token()
            try await harness.provision(token: token)
            let unprefixed = FakeDataverseHarness.eventTable.replacingOccurrences(of: "rapport_Event", with: "new_Event")
            let prefix = try await harness.api("POST", "EntityDefinitions", token: token, json: unprefixed)
            #expect(prefix.status == 400 && prefix.errorCode == "0x80044366")
            let duplicate = try await harness.api("POST", "EntityDefinitions", token: token, json: FakeDataverseHarness.eventTable)
            #expect(duplicate.errorCode == "0x80047010")
            let noNotes = FakeDataverseHarness.eventTable.replacingOccurrences(of: "rapport_Event", with: "rapport_Other")
                .replacingOccurrences(of: "\"HasNotes\": false,", with: "")
            #expect(try await harness.api("POST", "EntityDefinitions", token: token, json: noNotes).status == 400)
            let noPrimary = FakeDataverseHarness.eventTable.replacingOccurrences(of: "rapport_Event", with: "rapport_Other")
                .replacingOccurrences(of: "\"IsPrimaryName\": true", with: "\"IsPrimaryName\": false")
            #expect(try await harness.api("POST", "EntityDefinitions", token: token, json: noPrimary).status == 400)

            let keys = "EntityDefinitions(LogicalName='rapport_event')/Keys"
            let sameName = try await harness.api("POST", keys, token: token, json: FakeDataverseHarness.naturalKey)
            #expect(sameName.errorCode == "0x80060893")
            let sameColumns = FakeDataverseHarness.naturalKey.replacingOccurrences(of: "rapport_event_naturalkey", with: "rapport_event_otherkey")
            #expect(try await harness.api("POST", keys, token: token, json: sameColumns).errorCode == "0x80060894")
            let boolean = #"{"SchemaName":"rapport_event_donekey","KeyAttributes":["rapport_done"]}"#
            #expect(try await harness.api("POST", keys, token: token, json: boolean).status == 400)
            let unknown = #"{"SchemaName":"rapport_event_nokey","KeyAttributes":["rapport_nothing"]}"#
            #expect(try await harness.api("POST", keys, token: token, json: unknown).status == 400)
            let unprefixedKey = #"{"SchemaName":"event_daykey","KeyAttributes":["rapport_day"]}"#
            #expect(try await harness.api("POST", keys, token: token, json: unprefixedKey).errorCode == "0x80044366")
            let toMissing = FakeDataverseHarness.accountRelationship.replacingOccurrences(of: "\"ReferencedEntity\": \"account\"", with: "\"ReferencedEntity\": \"contact\"")
                .replacingOccurrences(of: "rapport_account_rapport_event", with: "rapport_contact_rapport_event")
            #expect(try await harness.api("POST", "RelationshipDefinitions", token: token, json: toMissing).status == 404)
        }
    }

    @Test("a key over rows that already collide ends Failed")
    func failedKey() async throws {
        try await FakeDataverseHarness.run { harness in
            let token = try await harness.token()
            try await harness.provision(token: token)
            for id in ["a", "b"] {
                let reply = try await harness.api("POST", "rapport_events", token: token, json: #"{"rapport_name":"\#(id)","rapport_day":"2026-01-01"}"#)
                #expect(reply.status == 204)
            }
            let dayKey = #"{"SchemaName":"rapport_event_daykey","KeyAttributes":["rapport_day"]}"#
            #expect(try await harness.api("POST", "EntityDefinitions(LogicalName='rapport_event')/Keys", token: token, json: dayKey).status == 204)
            harness.store.activateKeys(of: "rapport_event", in: FakeDataverseHarness.host)
            let key = harness.store.table("rapport_event", in: FakeDataverseHarness.host)?.keys.first { $0.logicalName == "rapport_event_daykey" }
            #expect(key?.status == .failed)
        }
    }
}
