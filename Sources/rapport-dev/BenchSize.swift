import ArgumentParser
import Foundation
import Generator

/// The sizes of a region benchmark's generated organization.
struct BenchSize: ParsableArguments {
    @Option(help: "Distinct emails to generate.") var emails = 5_000_000
    @Option(help: "Meeting occurrences to generate.") var meetings = 500_000
    @Option(help: "Business accounts.") var accounts = 100_000
    @Option(help: "Contacts in total.") var contacts = 250_000
    @Option(help: "Selected mailboxes.") var mailboxes = 1_000
    @Option(help: "The generator's seed.") var seed: UInt64 = 1
    @Option(name: .customLong("pg-setting"), help: "A server setting name=value for the throwaway cluster (repeat), e.g. work_mem=64MB.")
    var settings: [String] = []
    @Option(help: "Log the plans of statements slower than 1 s (auto_explain) and copy the server log here.") var explainLog: String?

    /// A fixed as-of time, so runs are comparable: 2026-11-29T00:00:00Z.
    var asOf: Date { Date(timeIntervalSince1970: 1_795_910_400) }

    var spec: OrganizationSpec {
        OrganizationSpec(
            seed: seed, accounts: accounts, mailboxes: mailboxes, contacts: contacts, emails: emails, meetings: meetings, asOf: asOf)
    }

    func printHeader(_ title: String) {
        let memory = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
        printLine("\(title): load average \(load) before starting; throwaway cluster (fsync off), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(String(format: "%.1f", memory)) GiB; \(emails) emails, \(meetings) meeting occurrences, \(accounts) accounts, \(contacts) contacts, \(mailboxes) mailboxes, seed \(seed)\(settings.isEmpty ? "" : "; " + settings.joined(separator: ", "))")
    }
}
