import Engagement
import Foundation
import Ingest
import Postgres
import Platform
import Testing

@Suite("Privacy, failed imports and publish atomicity")
struct PrivacyAndAtomicityTests {
    func prepared() async throws -> PipelineHarness {
        let harness = try await HandComputedOrganizationTests().prepare()
        return harness
    }

    @Test("no raw address, display name, subject or message id is stored in any region table")
    func noRawIdentifiers() async throws {
        let harness = try await prepared()
        let asOf = HandComputedOrganizationTests.asOf
        _ = try await harness.importRecords(HandComputedOrganizationTests.records, scope: harness.scope(asOf: asOf, selected: HandComputedOrganizationTests.selected))
        let run = EnrichmentAggregator.RunSpec(asOf: asOf, weights: .defaults)
        try await harness.aggregator.aggregate(run)
        try await harness.aggregator.publish(runID: run.runID, at: asOf)

        var needles = Set<String>()
        for record in HandComputedOrganizationTests.records {
            switch record {
            case .email(let email):
                needles.formUnion([email.from, email.sender].compactMap { $0 } + email.to + email.cc + email.bcc)
                if let id = email.messageID { needles.insert(id) }
            case .meeting(let meeting):
                needles.formUnion([meeting.organizer].compactMap { $0 } + meeting.attendees.map(\.address))
                needles.insert(meeting.uid)
            }
        }
        needles.formUnion(["Alice", "Jo", "never stored", "This body is never read"])
        // Short ids such as "e10" could occur inside a hexadecimal UUID by chance; keep distinctive needles.
        needles = needles.filter { $0.count >= 5 && !$0.allSatisfy { $0.isHexDigit || $0 == "-" } }
        #expect(needles.contains("jo@fabrikam.com"))
        let (tables, dump) = try await harness.database.pool.withConnection { connection in
            let tables: [String] = try await connection.query(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename").decode(String.self)
            var dump = ""
            for table in tables {
                // Every column of every row, as text, including the arrays and jsonb.
                for row in try await connection.query("SELECT t::text FROM \(identifier: table) t") {
                    dump += (try row.decode(String?.self, at: 0) ?? "") + "\n"
                }
            }
            return (tables, dump.lowercased())
        }
        #expect(tables.contains("email_signal") && tables.contains("contact_email") && tables.contains("account_engagement"))
        #expect(dump.contains("fabrikam"))  // the account's name is customer data, not a person
        for needle in needles {
            #expect(!dump.contains(needle.lowercased()), "\(needle) is stored")
        }
        await harness.shutdown()
    }

    @Test("an import that fails midway leaves nothing behind")
    func failedImport() async throws {
        let harness = try await prepared()
        struct SourceBroke: Error {}
        let scope = harness.scope(asOf: HandComputedOrganizationTests.asOf, selected: HandComputedOrganizationTests.selected)
        await #expect(throws: SourceBroke.self) {
            try await harness.importer.importRecords(scope) { consume in
                for (index, record) in HandComputedOrganizationTests.records.enumerated() {
                    if index == 10 { throw SourceBroke() }
                    try await consume(record)
                }
            }
        }
        let counts = try await harness.database.withTenant(harness.tenantID) { connection in
            try await connection.query("SELECT (SELECT count(*) FROM email_signal), (SELECT count(*) FROM meeting_signal)")[0]
                .decode((Int, Int).self)
        }
        #expect(counts.0 == 0 && counts.1 == 0)
        await harness.shutdown()
    }

    @Test("exclusions, the mapped email field, and row-level security on the activity tables")
    func exclusionsAndIsolation() async throws {
        let harness = try await prepared()
        var rules = NoiseRules()
        rules.excludedDomains = ["tailspin.com"]
        let scope = harness.scope(asOf: HandComputedOrganizationTests.asOf, selected: HandComputedOrganizationTests.selected, rules: rules)
        let report = try await harness.importRecords(HandComputedOrganizationTests.records, scope: scope)
        let accounts: [String] = try await harness.database.withTenant(harness.tenantID) { connection in
            try await connection.query("SELECT DISTINCT account_id FROM email_signal ORDER BY 1").decode(String.self)
        }
        #expect(!accounts.contains("A2"))
        #expect((report.skipped["excluded_domain"] ?? 0) >= 1)
        // Another tenant sees none of it, even without a tenant filter.
        let other = try await harness.database.withTenant(UUID()) { connection in
            try await connection.query("SELECT (SELECT count(*) FROM email_signal) + (SELECT count(*) FROM meeting_signal)")[0].decode(Int.self, at: 0)
        }
        #expect(other == 0)
        await harness.shutdown()
    }

    @Test("readers see the old result or the new one, never a mix; a failed run leaves the old one")
    func publishAtomicity() async throws {
        let harness = try await prepared()
        let asOf = HandComputedOrganizationTests.asOf
        _ = try await harness.importRecords(HandComputedOrganizationTests.records, scope: harness.scope(asOf: asOf, selected: HandComputedOrganizationTests.selected))
        let first = EnrichmentAggregator.RunSpec(asOf: asOf, weights: .defaults)
        try await harness.aggregator.aggregate(first)
        try await harness.aggregator.publish(runID: first.runID, at: asOf)

        // A reader hammers the rows while runs publish; every page must come from one run.
        let stop = ManagedFlag()
        let reader = Task {
            var pages = 0
            while !stop.isSet {
                var query = ResultsStore.Query()
                query.limit = 1000
                guard let page = try await harness.results.rows(query) else { continue }
                let runs: [UUID] = try await harness.database.withTenant(harness.tenantID) { connection in
                    try await connection.query(
                        "SELECT DISTINCT run_id FROM account_engagement WHERE run_id = (SELECT run_id FROM current_result)").decode(UUID.self)
                }
                #expect(runs.count <= 1)
                #expect(page.total == page.rows.count)
                #expect(Set(page.rows.map(\.aggregationLevel)) == ["Year", "Month", "Week"])
                pages += 1
            }
            return pages
        }
        var published = [first.runID]
        for offset in 1...5 {
            // Later as-of times; all data stays in the window.
            let run = EnrichmentAggregator.RunSpec(
                asOf: asOf.addingTimeInterval(Double(offset) * 3600),
                weights: .defaults)
            try await harness.aggregator.aggregate(run)
            try await harness.aggregator.publish(runID: run.runID, at: Date())
            published.append(run.runID)
        }
        stop.set()
        let pages = try await reader.value
        #expect(pages > 0)
        let current = try #require(try await harness.results.summary())
        #expect(current.runID == published.last)
        // Superseded runs' rows are gone; their summaries stay as history.
        let history = try await harness.results.history()
        #expect(history.map(\.runID) == published)
        let kept: [UUID] = try await harness.database.withTenant(harness.tenantID) { connection in
            try await connection.query("SELECT DISTINCT run_id FROM account_engagement").decode(UUID.self)
        }
        #expect(kept == [published.last!])

        // A run that fails before publishing leaves the current result as it was.
        let failing = EnrichmentAggregator.RunSpec(asOf: asOf.addingTimeInterval(86_400), weights: .defaults)
        try await harness.aggregator.aggregate(failing)
        try await harness.aggregator.discard(runID: failing.runID)
        let after = try #require(try await harness.results.summary())
        #expect(after.runID == published.last)
        let failedRows = try await harness.database.withTenant(harness.tenantID) { connection in
            try await connection.query("SELECT count(*) FROM account_engagement WHERE run_id = \(failing.runID)")[0].decode(Int.self, at: 0)
        }
        #expect(failedRows == 0)
        await #expect(throws: ServiceError.self) {
            try await harness.aggregator.publish(runID: failing.runID, at: Date())
        }
        await harness.shutdown()
    }
}

/// A flag one task sets and another polls.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
