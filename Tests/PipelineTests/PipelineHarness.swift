import Engagement
import Foundation
import Ingest
import Postgres
import Platform
import TestSupport

/// A migrated region database and the stores of one environment on it.
struct PipelineHarness {
    let database: RegionDatabase
    let environment = UUID()
    let hasher: AddressHasher

    static func make() async throws -> PipelineHarness {
        let url = try await TestDatabases.shared.createDatabase(prefix: "region")
        let sql = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("sql/region")
        let connection = try await PostgresConnection.connect(url)
        try await Migrator(folder: sql).migrate(connection)
        try await SchemaMigrations.stamp(connection, as: .eu)
        await connection.close()
        let database = RegionDatabase(region: .eu, pool: PostgresPool(.init(connectionString: url, maximumConnections: 4)))
        let tenant = UUID()
        return PipelineHarness(database: database, tenant: tenant, hasher: AddressHasher(serviceSecret: [UInt8](repeating: 9, count: 32), tenant: tenant))
    }

    init(database: RegionDatabase, tenant: UUID, hasher: AddressHasher) {
        self.database = database
        self.tenantOverride = tenant
        self.hasher = hasher
    }

    private let tenantOverride: UUID
    var tenantID: UUID { tenantOverride }

    /// The environment's slice of the region database the stores work on.
    var slice: EnvironmentDatabase { EnvironmentDatabase(database: database, tenant: tenantID, environment: environment) }
    var customerData: CustomerDataStore { CustomerDataStore(slice, hasher: hasher) }
    var importer: ActivityImporter { ActivityImporter(slice, hasher: hasher) }
    var aggregator: EnrichmentAggregator { EnrichmentAggregator(slice) }
    var results: ResultsStore { ResultsStore(slice) }

    func scope(asOf: Date, selected: Set<String>?, rules: NoiseRules = NoiseRules()) -> ActivityImporter.Scope {
        ActivityImporter.Scope(
            internalDomains: ["contoso.com"], selectedAddresses: selected,
            emailField: "emailaddress1", rules: rules, windowStart: asOf.addingTimeInterval(-365 * 86_400), windowEnd: asOf)
    }

    func importRecords(_ records: [ActivityRecord], scope: ActivityImporter.Scope) async throws -> ImportReport {
        try await importer.importRecords(scope) { consume in
            for record in records { try await consume(record) }
        }
    }

    func shutdown() async { await database.pool.shutdown() }
}

/// Builds RFC 5322 header blocks and parses them with the production parser.
enum Mail {
    static func message(
        id: String, from: String, to: [String], cc: [String] = [], date: String, inReplyTo: String? = nil,
        extra: [String] = []
    ) -> ActivityEmail {
        var lines = ["From: \(from)", "To: \(to.joined(separator: ", "))"]
        if !cc.isEmpty { lines.append("Cc: \(cc.joined(separator: ", "))") }
        lines += ["Date: \(date)", "Message-ID: <\(id)>", "Subject: never stored"]
        if let inReplyTo { lines += ["In-Reply-To: <\(inReplyTo)>", "References: <\(inReplyTo)>"] }
        lines += extra
        let text = lines.joined(separator: "\r\n") + "\r\n\r\nThis body is never read.\r\n"
        return MailMessageParser.parse(Array(text.utf8))
    }
}
