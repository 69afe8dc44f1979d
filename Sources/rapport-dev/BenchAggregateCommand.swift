import ArgumentParser
import Engagement
import Foundation
import Generator
import Postgres
import Platform

/// `rapport-dev bench aggregate`: EnrichmentAggregator (Year, Month, Week, score, publish) beside bare GROUP BY counts.
struct AggregateBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "Aggregate, score and publish generated activity vs bare SQL counts per level on the same tables.",
        discussion: """
            Starts a throwaway cluster (fsync off) with a migrated region database and imports a generated organization \
            (streamed from the generator, not timed). Then times the baseline, one GROUP BY per level (Year, Month, Week) \
            of the per-account email and meeting counts, written to temporary tables, and \
            `EnrichmentAggregator.aggregate` + `publish`. Prints both, the ratio (goal ≤ 2×), and the peak memory of \
            PostgreSQL's processes and of Rapport; then checks the published Year rows against the generator's expected \
            figures (--no-verify skips it).
            """)

    @OptionGroup var size: BenchSize
    @OptionGroup var table: BenchTable
    @Option(help: "Runs of each side; the fastest is reported.") var repeats = 1
    @Flag(inversion: .prefixedNo, help: "Check the published Year rows against the generator's expected figures (not timed).")
    var verify = true

    func run() async throws {
        try await BenchRegion.run(size, measure)
    }

    func measure(_ region: BenchRegion) async throws {
        size.printHeader("Aggregate benchmark")
        let asOf = size.asOf
        let expected = try await load(region)
        let signals = try await region.database.withTenant(region.tenant) { connection in
            try await connection.query(
                "SELECT (SELECT count(*) FROM email_signal), (SELECT count(*) FROM meeting_signal), (SELECT count(DISTINCT account_id) FROM email_signal)"
            )[0].decode((Int, Int, Int).self)
        }
        printLine("stored: \(signals.0) email signals, \(signals.1) meeting signals, \(signals.2) accounts with email")
        // Warm the cache the same way for both sides.
        try await region.database.withTenant(region.tenant) { connection in
            try await connection.execute("SELECT count(*) FROM email_signal")
            try await connection.execute("SELECT count(*) FROM meeting_signal")
        }

        var baselineBest = Double.infinity
        var rapportBest = Double.infinity
        var rows = 0
        BenchMemory.trimHeap()
        BenchMemory.resetPeak()
        let sampler = BenchMemorySampler(cluster: region.cluster.dataDirectory)
        for _ in 0..<max(1, repeats) {
            let started = ContinuousClock.now
            rows = try await baseline(region, asOf: asOf)
            baselineBest = min(baselineBest, (ContinuousClock.now - started).seconds)
        }
        let baselineSampler = (sampler.peakClusterPSS, sampler.peakClusterRSS, sampler.peakClusterAnonymous)
        sampler.stop()

        let aggregator = EnrichmentAggregator(region.slice)
        var summary: RunSummary?
        let rapportSampler = BenchMemorySampler(cluster: region.cluster.dataDirectory)
        for _ in 0..<max(1, repeats) {
            let run = EnrichmentAggregator.RunSpec(asOf: asOf, weights: .defaults)
            let started = ContinuousClock.now
            summary = try await aggregator.aggregate(run)
            try await aggregator.publish(runID: run.runID, at: asOf)
            rapportBest = min(rapportBest, (ContinuousClock.now - started).seconds)
        }
        rapportSampler.stop()
        let published = try await region.database.withTenant(region.tenant) { connection in
            try await connection.query(
                "SELECT level, count(*) FROM account_engagement WHERE environment_id = \(region.environment) GROUP BY level ORDER BY level"
            ).map { try $0.decode((String, Int).self) }
        }
        let peak = BenchMemory.peakResident()
        printLine(String(format: "baseline  GROUP BY per level (Year, Month, Week) of email and meeting counts, %d rows: %.2f s", rows, baselineBest))
        let levels = published.map { "\($0.1) \($0.0)" }.joined(separator: ", ")
        printLine(String(format: "Rapport   EnrichmentAggregator.aggregate + publish: %.2f s", rapportBest)
            + " (rows: \(levels); \(summary?.enrichedCustomers ?? 0) enriched customers)")
        printLine(String(format: "ratio     %.2f× the baseline's time (goal ≤ 2×)", rapportBest / baselineBest))
        try table.append(.init(
            stage: "aggregate + score + publish (`EnrichmentAggregator`)",
            size: "\(BenchTable.count(signals.0 + signals.1)) signals, \(BenchTable.count(size.accounts)) accounts",
            rapport: BenchTable.seconds(rapportBest),
            baseline: "GROUP BY per level, \(BenchTable.count(rows)) rows: " + BenchTable.seconds(baselineBest),
            ratio: BenchTable.ratio(rapportBest / baselineBest) + " the time", goal: "≤ 2× the time"))
        printLine("memory    PostgreSQL, Rapport's run: peak Σ PSS \(BenchMemory.mebibytes(rapportSampler.peakClusterPSS)), Σ RSS \(BenchMemory.mebibytes(rapportSampler.peakClusterRSS)), Σ anonymous \(BenchMemory.mebibytes(rapportSampler.peakClusterAnonymous)); baseline: Σ PSS \(BenchMemory.mebibytes(baselineSampler.0)), Σ RSS \(BenchMemory.mebibytes(baselineSampler.1)), Σ anonymous \(BenchMemory.mebibytes(baselineSampler.2))")
        printLine("          Rapport: peak RSS \(BenchMemory.mebibytes(peak)) (VmHWM since the timed part began)")
        if let expected { try await check(region, ids: expected.ids, figures: expected.figures) }
    }

    /// Generates the organization and imports it straight from the generator (no files); not timed.
    ///
    /// Returns the organization's account ids and the generator's expected figures when verifying.
    func load(_ region: BenchRegion) async throws -> (ids: [String], figures: ExpectedFigures)? {
        var clock = ContinuousClock.now
        let organization = SyntheticOrganization(size.spec)
        _ = try await region.loadCustomerData(organization)
        printLine(String(format: "generated and loaded %d accounts, %d contacts in %.1f s (not timed)", organization.accounts.count,
                     organization.contacts.count, (ContinuousClock.now - clock).seconds))
        clock = ContinuousClock.now
        let generator = ActivityGenerator(organization)
        let report = try await ActivityImporter(region.slice, hasher: region.hasher).importRecords(region.scope(organization)) {
            consume in
            for await record in generator.records { try await consume(record) }
        }
        printLine(String(format: "imported %d records from the generator in %.1f s (not timed)", report.recordsRead, (ContinuousClock.now - clock).seconds))
        try await region.database.withTenant(region.tenant) { connection in
            try await connection.execute("ANALYZE email_signal")
            try await connection.execute("ANALYZE meeting_signal")
        }
        guard verify else { return nil }
        var figures = ExpectedFigures(accountCount: organization.accounts.count)
        generator.forEachChunk { figures.add($0) }
        return (organization.accounts.map(\.id), figures)
    }

    /// Compares the published Year rows with the generator's figures; prints the outcome, throws on a difference.
    func check(_ region: BenchRegion, ids: [String], figures: ExpectedFigures) async throws {
        let asOf = Int(size.asOf.timeIntervalSince1970)
        let rows = try await region.database.withTenant(region.tenant) { connection in
            try await connection.query(
                """
                SELECT e.account_id, e.emails_to_account, e.emails_from_account, e.meetings_to_account, e.meetings_from_account,
                       e.days_since_last_email, e.days_since_last_meeting
                FROM account_engagement e JOIN current_result c USING (tenant_id, environment_id, run_id)
                WHERE e.environment_id = \(region.environment) AND e.level = 'Year'
                """
            ).map { try $0.decode((String, Int, Int, Int, Int, Int?, Int?).self) }
        }
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0.0, $0) })
        var differences: [String] = []
        for (index, id) in ids.enumerated() {
            let want = figures.accounts[index]
            let days = { (last: Int?) in last.map { (asOf - $0) / 86_400 } }
            let expected = want.signals == 0 ? nil
                : (id, want.emailsToAccount, want.emailsFromAccount, want.meetingsToAccount, want.meetingsFromAccount,
                   days(want.lastEmail), days(want.lastMeeting))
            let got = byID[id]
            if expected.map(String.init(describing:)) != got.map(String.init(describing:)) {
                differences.append("\(id): expected \(expected.map(String.init(describing:)) ?? "no row"), published \(got.map(String.init(describing:)) ?? "no row")")
            }
        }
        guard differences.isEmpty else {
            throw BenchError("\(differences.count) accounts differ from the generator's figures, e.g. \(differences.prefix(3).joined(separator: "; "))")
        }
        printLine("verified  the Year figures of all \(rows.count) enriched accounts (counts each way, days since the last email and meeting) equal the generator's")
    }

    /// The same per-account counts as bare SQL: one GROUP BY per level and table, into temporary tables; returns the rows.
    func baseline(_ region: BenchRegion, asOf: Date) async throws -> Int {
        let environment = region.environment
        let windowStart = asOf.addingTimeInterval(-365 * 86_400)
        return try await region.database.withTenant(region.tenant) { connection in
            var rows = 0
            for (name, period) in [("year", nil), ("month", "month"), ("week", "week")] as [(String, String?)] {
                let emailKey = period.map { PostgresQuery(unsafeSQL: ", date_trunc('\($0)', sent_at) AS period") } ?? ""
                let meetingKey = period.map { PostgresQuery(unsafeSQL: ", date_trunc('\($0)', starts_at) AS period") } ?? ""
                let groupKey: PostgresQuery = period == nil ? "" : ", 2"
                rows += try await connection.execute(
                    """
                    CREATE TEMPORARY TABLE \(identifier: "baseline_email_" + name) ON COMMIT DROP AS
                    SELECT account_id\(emailKey), count(*) FILTER (WHERE to_account) AS emails_to,
                           count(*) FILTER (WHERE NOT to_account) AS emails_from, max(sent_at) AS last_email
                    FROM email_signal WHERE environment_id = \(environment) AND sent_at >= \(windowStart) AND sent_at <= \(asOf)
                    GROUP BY account_id\(groupKey)
                    """)
                rows += try await connection.execute(
                    """
                    CREATE TEMPORARY TABLE \(identifier: "baseline_meeting_" + name) ON COMMIT DROP AS
                    SELECT account_id\(meetingKey), count(*) FILTER (WHERE to_account) AS meetings_to,
                           count(*) FILTER (WHERE NOT to_account) AS meetings_from,
                           sum(extract(epoch FROM ends_at - starts_at) / 60) AS minutes, max(starts_at) AS last_meeting
                    FROM meeting_signal WHERE environment_id = \(environment) AND starts_at >= \(windowStart) AND starts_at <= \(asOf)
                    GROUP BY account_id\(groupKey)
                    """)
            }
            return rows
        }
    }
}
