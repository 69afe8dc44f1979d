import ArgumentParser
import Engagement
import Foundation
import Generator
import Platform

/// `rapport-dev bench import`: ActivityImporter fed from an NDJSON file, beside psql `\copy` of as many rows.
struct ImportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import generated NDJSON through ActivityImporter vs psql \\copy of a TSV of as many rows.",
        discussion: """
            Starts a throwaway cluster (fsync off) with a migrated region database, loads a generated organization's \
            customer data, writes its activity as NDJSON (not timed), then times `ActivityImporter.importRecords` fed by \
            the production NDJSON reader, and psql \\copy of a TSV with the same number of rows into a table of \
            email_signal's columns and indexes. Prints both rates, the ratio (goal ≥ 0.5×) and the peak memory.
            """)

    @OptionGroup var size: BenchSize
    @OptionGroup var table: BenchTable

    func run() async throws {
        try await BenchRegion.run(size, measure)
    }

    func measure(_ region: BenchRegion) async throws {
        size.printHeader("Import benchmark")
        let ndjson = region.folder.appendingPathComponent("activity.ndjson")
        let (scope, written, accountCount) = try await prepare(region, ndjson: ndjson)

        BenchMemory.trimHeap()
        BenchMemory.resetPeak()
        let before = BenchMemory.resident()
        let sampler = BenchMemorySampler(cluster: region.cluster.dataDirectory)
        let started = ContinuousClock.now
        let report = try await region.importFile(ndjson, scope: scope)
        let seconds = (ContinuousClock.now - started).seconds
        sampler.stop()
        let peak = BenchMemory.peakResident()
        guard report.recordsRead == written else { throw BenchError("imported \(report.recordsRead) records, wrote \(written)") }
        try? FileManager.default.removeItem(at: ndjson)
        let rate = Double(written) / seconds
        printLine(String(
            format: "Rapport   ActivityImporter.importRecords ← NDJSONParser: %d records in %.1f s = %.0f records/s",
            written, seconds, rate))
        printLine("          stored \(report.emailSignalsStored) email and \(report.meetingSignalsStored) meeting signals for \(report.accountsMatched) accounts; \(report.outsideWindow) outside the window; skipped \(report.skipped.values.reduce(0, +))")

        let tsv = region.folder.appendingPathComponent("baseline.tsv")
        let tsvBytes = try BenchCopyBaseline.writeTSV(
            rows: written, accounts: accountCount, to: tsv, tenant: region.tenant, environment: region.environment, asOf: size.asOf)
        let psqlSeconds = try await BenchCopyBaseline.run(url: region.url, tsv: tsv)
        try? FileManager.default.removeItem(at: tsv)
        let psqlRate = Double(written) / psqlSeconds
        printLine(String(
            format: "baseline  psql \\copy, TSV of %d rows (%.0f MB) into email_signal's columns and indexes: %.1f s = %.0f rows/s",
            written, Double(tsvBytes) / 1e6, psqlSeconds, psqlRate))
        printLine(String(format: "ratio     %.2f× psql's rate (goal ≥ 0.50×)", rate / psqlRate))
        try table.append(.init(
            stage: "import: NDJSON file → signals (`ActivityImporter`)",
            size: "\(BenchTable.count(written)) records, \(BenchTable.count(accountCount)) accounts",
            rapport: BenchTable.rate(rate, "records") + " (\(BenchTable.seconds(seconds)))",
            baseline: "psql `\\copy`, as many rows, email_signal's indexes: " + BenchTable.rate(psqlRate, "rows"),
            ratio: BenchTable.ratio(rate / psqlRate), goal: "≥ 0.5×"))
        printLine("memory    Rapport: RSS before \(BenchMemory.mebibytes(before)), peak during the import \(BenchMemory.mebibytes(peak)) (VmHWM, reset before it); RSS over the import \(sampler.selfProfile)")
        printLine("          PostgreSQL during the import: peak Σ PSS \(BenchMemory.mebibytes(sampler.peakClusterPSS)), Σ RSS \(BenchMemory.mebibytes(sampler.peakClusterRSS)), Σ anonymous \(BenchMemory.mebibytes(sampler.peakClusterAnonymous))")
    }

    /// Generates the organization, loads its customer data and writes its NDJSON; none of it timed.
    func prepare(_ region: BenchRegion, ndjson: URL) async throws -> (ActivityImporter.Scope, Int, Int) {
        var clock = ContinuousClock.now
        let organization = SyntheticOrganization(size.spec)
        printLine(String(format: "generated %d accounts, %d contacts, %d mailboxes in %.1f s", organization.accounts.count,
                     organization.contacts.count, organization.mailboxes.count, (ContinuousClock.now - clock).seconds))
        clock = ContinuousClock.now
        let counts = try await region.loadCustomerData(organization)
        printLine(String(format: "customer data: %d accounts, %d contacts, %d contact addresses replaced in %.1f s (not timed)",
                     counts.accounts, counts.contacts, counts.contactEmails, (ContinuousClock.now - clock).seconds))
        clock = ContinuousClock.now
        let (records, bytes) = try BenchRegion.writeNDJSON(ActivityGenerator(organization), to: ndjson)
        printLine(String(format: "NDJSON: %d records, %.0f MB, written in %.1f s (not timed)", records, Double(bytes) / 1e6,
                     (ContinuousClock.now - clock).seconds))
        return (region.scope(organization), records, organization.accounts.count)
    }
}
