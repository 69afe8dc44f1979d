import Engagement
import FakeDataverse
import Foundation
import Generator
import Platform

/// What `rapport-dev demo` prints after the runs: each environment's run and enriched customers against
/// the generator's expectation, the ten most engaged accounts, and the stale-accounts segment.
struct DemoSummary {
    let platform: Platform
    let demo: DemoTenant
    let organization: SyntheticOrganization
    let figures: ExpectedFigures

    /// Prints the summary; returns the environments whose enriched customers differ from the expectation.
    @discardableResult
    func report(runs: [RunRecord]) async throws -> [String] {
        let names = Dictionary(organization.businessAccounts.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let expected = figures.enrichedAccounts.count
        var mismatched: [String] = []
        printLine("\nenvironment  region  run        seconds  emails  meetings  enriched customers (expected)")
        for (environment, run) in zip(demo.environments, runs) {
            let summary = try await platform.scope(for: environment).results.summary()
            var seconds = "-"
            if let started = run.startedAt, let finished = run.finishedAt { seconds = String(format: "%.1f", finished.timeIntervalSince(started)) }
            let enriched = summary?.enrichedCustomers ?? 0
            if enriched != expected { mismatched.append(environment.name) }
            printLine(
                "\(pad(environment.name, 12)) \(pad(environment.region.rawValue, 7)) \(pad(run.status.rawValue, 10)) \(pad(seconds, 8)) "
                    + "\(pad("\(summary?.emailsProcessed ?? 0)", 7)) \(pad("\(summary?.meetingsProcessed ?? 0)", 9)) \(enriched) (\(expected))")
        }
        guard let environment = demo.environments.first(where: { $0.region == .eu }) ?? demo.environments.first else { return mismatched }

        var query = ResultsStore.Query()
        query.level = "Year"
        query.limit = 10
        let top = try await platform.scope(for: environment).results.rows(query)
        printLine("\nThe ten most engaged accounts (\(environment.name), the year to \(day(organization.spec.asOf))):")
        printLine("  score  account                             emails to/from  meetings  days since last email")
        for row in top?.rows ?? [] {
            let meetings = row.meetingsToAccount + row.meetingsFromAccount
            printLine(
                "  \(pad("\(row.engagementScore)", 5, right: true))  \(pad(names[row.accountID] ?? row.accountID, 35)) "
                    + "\(pad("\(row.emailsToAccount)/\(row.emailsFromAccount)", 15)) \(pad("\(meetings)", 9)) \(row.daysSinceLastEmail.map(String.init) ?? "-")")
        }

        let segmentStore = try platform.scope(for: environment).segments
        if let stale = try await segmentStore.segments().first(where: { $0.name == "Stale accounts" }) {
            let page = try await segmentStore.members(segment: stale.id, limit: 5, offset: 0, at: platform.now())
            printLine("\nStale accounts (\(environment.name)): \(page.total) of \(organization.accounts.count) accounts, no email or meeting for 60 days")
            for member in page.members {
                printLine("  \(pad(member.name, 35)) last email \(member.daysSinceLastEmail.map { "\($0) days ago" } ?? "never")")
            }
            if page.total > page.members.count { printLine("  … and \(page.total - page.members.count) more") }
        }
        return mismatched
    }

    /// Prints each environment's export to its Dataverse organization against what the organization holds;
    /// returns the environments whose export failed or whose organization holds other than Rapport recorded.
    @discardableResult
    func reportDataverse(_ store: FakeDataverseStore, runs: [RunRecord]) -> [String] {
        var mismatched: [String] = []
        printLine("\nenvironment  Dataverse organization          export     rows sent  requests  rows held  office users")
        for ((environment, run), entry) in zip(zip(demo.environments, runs), DemoTenant.environments) {
            let step = run.steps.first { $0.step == .export }
            let held = store.count(of: "rapport_accountengagement", in: entry.dataverseHost)
            let users = store.count(of: "rapport_officeuser", in: entry.dataverseHost)
            let counts = step?.counts ?? [:]
            if step?.state != .succeeded || counts["organization_rows"] != held { mismatched.append(environment.name) }
            printLine(
                "\(pad(environment.name, 12)) \(pad(entry.dataverseHost, 31)) \(pad(step?.state.rawValue ?? "-", 10)) "
                    + "\(pad("\(counts["rows_sent"] ?? 0)", 10)) \(pad("\(counts["requests"] ?? 0)", 9)) \(pad("\(held)", 10)) \(users)")
            if let error = step?.error { printLine("  \(error)") }
        }
        return mismatched
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        guard text.count < width else { return text }
        let fill = String(repeating: " ", count: width - text.count)
        return right ? fill + text : text + fill
    }

    private func day(_ date: Date) -> String {
        String(ISO8601DateFormatter().string(from: date).prefix(10))
    }
}
