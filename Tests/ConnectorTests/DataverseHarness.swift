import Connectors
import FakeDataverse
import FakeGraph
import Foundation
import Ingest
import Platform
import Testing
import Worker

/// The Graph harness plus a live fake Dataverse holding the fixture's organization, and the production
/// Dataverse connector pointed at it as the runs' exporter.
struct DataverseHarness {
    var graph: GraphHarness
    let server: FakeDataverseServer
    let connector: DataverseConnector

    var store: FakeDataverseStore { server.store }
    var platform: Platform { graph.platform }
    static let host = "contoso.crm11.dynamics.com"
    static let table = "rapport_accountengagement"

    static func make(
        _ parameters: FakeTenantGenerator.Parameters, batchSize: Int = 7, concurrency: Int = 3,
        configure: (inout DataverseSettings) -> Void = { _ in }
    ) async throws -> DataverseHarness {
        // The Graph tenant is deterministic: its Entra tenant id is known before the harness makes it.
        let entraTenant = FakeTenantGenerator.generate(parameters).entraTenantID
        let store = FakeDataverseStore(
            app: FakeDataverseApp(tenantID: entraTenant, clientID: GraphHarness.clientID, clientSecret: GraphHarness.clientSecret),
            organizations: [
                FakeDataverseOrganization(
                    host: host, organizationID: GraphTenantFixture.dataverse.organizationID,
                    applicationUsers: [.init(clientID: GraphHarness.clientID)])
            ])
        let server = FakeDataverseServer(store: store)
        try await server.start()
        var settings = DataverseSettings(
            loginURL: server.baseURL, apiURL: server.baseURL, maximumConcurrency: concurrency, batchSize: batchSize, maximumRetries: 6,
            backoffBase: .milliseconds(10), backoffCap: .seconds(3), requestTimeout: .seconds(30), keyActivationTimeout: .seconds(20))
        configure(&settings)
        var graph = try await GraphHarness.make(parameters, platform: { $0.dataverse = settings })
        let connector = DataverseConnector(platform: graph.platform, logger: .init(label: "dataverse-test"), keyPollInterval: .milliseconds(20))
        graph.exporters = [connector]
        return DataverseHarness(graph: graph, server: server, connector: connector)
    }

    func shutdown() async {
        try? await connector.shutdown()
        await server.stop()
        await graph.shutdown()
    }

    /// The environment as the control store has it.
    func environment(_ fixture: GraphTenantFixture) async throws -> ControlStore.Environment {
        try await platform.control.environment(tenant: fixture.tenantID, id: fixture.environment)
    }

    /// The published rows at `levels`, each as one comparable line keyed by its alternate key.
    func published(_ fixture: GraphTenantFixture, levels: [String] = ["Year", "Month"]) async throws -> [String: String] {
        let results = try platform.scope(for: try await environment(fixture)).results
        var lines: [String: String] = [:]
        for level in levels {
            _ = try await results.export(level: level) { rows in
                for row in rows {
                    let key = "\(DataverseHarness.accountKey(row.accountID))|\(row.aggregationLevel)|\(row.aggregationStartDate)"
                    lines[key] = Self.line(
                        accountID: row.accountID, score: row.engagementScore,
                        counts: [
                            row.emailsToAccount, row.emailsFromAccount, row.meetingsFromAccount, row.meetingsToAccount,
                            row.contactsInvolvedMeetings, row.contactsInvolvedEmails, row.accountContactsInvolvedMeetings,
                            row.accountContactsInvolvedEmails,
                        ],
                        start: row.engagementStartDate, days: [row.daysSinceLastEmail, row.daysSinceLastMeeting],
                        minutes: [row.averageDurationOfMeetings, row.averageDurationOfAccountEmailReplies])
                }
            }
        }
        return lines
    }

    /// The organization's account-engagement rows, each as the same kind of line.
    func exported() -> [String: String] {
        var lines: [String: String] = [:]
        for row in store.rows(of: Self.table, in: Self.host) {
            func int(_ name: String) -> Int? { if case .number(let value)? = row[name] { return Int(value) } else { return nil } }
            func double(_ name: String) -> Double? { if case .number(let value)? = row[name] { return value } else { return nil } }
            let key = "\(row["rapport_accountkey"]?.stringValue ?? "?")|\(row["rapport_aggregationlevel"]?.stringValue ?? "?")|\(row["rapport_aggregationstartdate"]?.stringValue ?? "?")"
            lines[key] = Self.line(
                accountID: row["rapport_accountid"]?.stringValue ?? "?", score: int("rapport_engagementscore") ?? -1,
                counts: [
                    "noofemails_toaccount", "noofemails_fromaccount", "noofmeetings_fromaccount", "noofmeetings_toaccount",
                    "noofcontactsinvolved_meetings", "noofcontactsinvolved_emails", "noofaccountcontactsinvolved_meetings",
                    "noofaccountcontactsinvolved_emails",
                ].map { int("rapport_" + $0) ?? -1 },
                start: row["rapport_engagementstartdate"]?.stringValue,
                days: [int("rapport_dayssincelastemail"), int("rapport_dayssincelastmeeting")],
                minutes: [double("rapport_averageduration_of_meetings"), double("rapport_averageduration_of_accountemailreplies")])
        }
        return lines
    }

    static func line(accountID: String, score: Int, counts: [Int], start: String?, days: [Int?], minutes: [Double?]) -> String {
        ([accountID, String(score)] + counts.map(String.init) + [start ?? "-"] + days.map { $0.map(String.init) ?? "-" }
            + minutes.map { $0.map { String(format: "%.2f", $0) } ?? "-" }).joined(separator: "|")
    }

    /// The alternate key value Rapport gives an account id (the id when it is short and plain).
    static func accountKey(_ id: String) -> String {
        id.count <= 100 && id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._~".contains($0)) }) && !id.hasPrefix("h-") ? id : "h-…"
    }

    /// The fake's table equals the published rows at `levels`, row for row and column for column.
    func expectTableEqualsPublished(_ fixture: GraphTenantFixture, levels: [String] = ["Year", "Month"], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let expected = try await published(fixture, levels: levels)
        let actual = exported()
        #expect(store.count(of: Self.table, in: Self.host) == expected.count, "rows in Dataverse vs published", sourceLocation: sourceLocation)
        let missing = Set(expected.keys).subtracting(actual.keys)
        let extra = Set(actual.keys).subtracting(expected.keys)
        #expect(missing.isEmpty, "not in Dataverse: \(missing.sorted().prefix(5))", sourceLocation: sourceLocation)
        #expect(extra.isEmpty, "in Dataverse but not published: \(extra.sorted().prefix(5))", sourceLocation: sourceLocation)
        let differing = expected.filter { actual[$0.key] != nil && actual[$0.key] != $0.value }
        #expect(differing.isEmpty, "values differ: \(differing.prefix(3).map { "\($0.value) vs \(actual[$0.key]!)" })", sourceLocation: sourceLocation)
        #expect(!expected.isEmpty, sourceLocation: sourceLocation)
    }
}
