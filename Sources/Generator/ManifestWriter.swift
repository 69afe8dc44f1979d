import Ingest
import Engagement

/// Writes `manifest.json`: the seed and sizes, what the selection resolves to, the counts of every
/// file, and the expected headline figures (hot, stale and inactive accounts, per-account Year
/// figures, skipped counts per noise rule) for tests to check the pipeline against.
enum ManifestWriter {
    static func json(_ organization: SyntheticOrganization, _ figures: ExpectedFigures, formats: [OutputFormat]) -> [UInt8] {
        let spec = organization.spec
        let asOf = spec.asOfSeconds
        let accounts = organization.accounts
        func ids(_ indices: [Int]) -> JSONText { .array(indices.map { .string(accounts[$0].id) }) }
        func rules(_ counts: [NoiseRule: Int]) -> JSONText {
            .object(NoiseRule.allCases.compactMap { rule in counts[rule].map { (rule.rawValue, JSONText.int($0)) } })
        }
        func days(_ last: Int?) -> JSONText { last.map { .int((asOf - $0) / 86_400) } ?? .null }
        func time(_ t: Int?) -> JSONText { t.map { .string(TextFormats.rfc3339($0)) } ?? .null }
        let perAccount = figures.enrichedAccounts.map { index -> JSONText in
            let a = figures.accounts[index]
            return .object([
                ("id", .string(accounts[index].id)), ("name", .string(accounts[index].name)),
                ("tier", .string(accounts[index].tier.rawValue)),
                ("emails_to_account", .int(a.emailsToAccount)), ("emails_from_account", .int(a.emailsFromAccount)),
                ("meetings_to_account", .int(a.meetingsToAccount)), ("meetings_from_account", .int(a.meetingsFromAccount)),
                ("last_email", time(a.lastEmail)), ("last_meeting", time(a.lastMeeting)),
                ("days_since_last_email", days(a.lastEmail)), ("days_since_last_meeting", days(a.lastMeeting)),
                ("engagement_start", time(a.firstActivity)),
            ])
        }
        let tiers: [ActivityTier] = [.hot, .active, .stale, .inactive]
        let directory = organization.directory
        let selection: JSONText = .object([
            ("groups", .array(directory.selectedGroups.map { .string($0) })),
            ("addresses", .array(directory.selectedAddresses.map { .string($0) })),
            ("resolved", .array(directory.resolvedSelection().map { .string($0) })),
        ])
        let organizationPart: JSONText = .object([
            ("domain", .string(spec.domain)), ("internal_domains", .array(organization.internalDomains.map { .string($0) })),
            ("selection", selection),
        ])
        let contactEmails = organization.contacts.reduce(0) { $0 + ($1.email1.isEmpty ? 0 : 1) + ($1.email2.isEmpty ? 0 : 1) }
        var byTier: [(String, JSONText)] = []
        for tier in tiers { byTier.append((tier.rawValue, .int(accounts.filter { $0.tier == tier }.count))) }
        let counts: [(String, JSONText)] = [
            ("accounts", .int(accounts.count)), ("contacts", .int(organization.contacts.count)),
            ("contact_emails", .int(contactEmails)),
            ("free_mail_contacts", .int(organization.contacts.filter(\.isFreeMail).count)),
            ("users", .int(directory.users.count)), ("groups", .int(directory.groups.count)),
            ("mailboxes", .int(organization.mailboxes.count)),
            ("emails", .int(figures.emails)), ("email_copies", .int(figures.emailCopies)),
            ("meeting_events", .int(figures.meetingEvents)), ("meeting_occurrences", .int(figures.meetingOccurrences)),
            ("activity_records", .int(figures.emails + figures.meetingOccurrences)),
            ("accounts_by_tier", .object(byTier)),
        ]
        let assumes: JSONText = .object([
            ("email_field", .null), ("noise_rules", "defaults (maximum 50 attendees)"),
            ("selected", "organization.selection.resolved"), ("window", "window"),
        ])
        let expected: [(String, JSONText)] = [
            ("assumes", assumes),
            ("enriched_customers", .int(figures.enrichedAccounts.count)),
            ("emails_counted", .int(figures.emailsCounted)), ("email_signals", .int(figures.emailSignals)),
            ("meetings_counted", .int(figures.meetingsCounted)), ("meeting_signals", .int(figures.meetingSignals)),
            ("emails_outside_window", .int(figures.emailsOutsideWindow)),
            ("meetings_outside_window", .int(figures.meetingsOutsideWindow)),
            ("emails_skipped", rules(figures.emailsSkipped)), ("meetings_skipped", rules(figures.meetingsSkipped)),
            ("hot_accounts", ids(figures.busiest(5))),
            ("stale_accounts", ids(figures.stale(asOf: asOf))),
            ("inactive_accounts", ids(accounts.indices.filter { figures.accounts[$0].signals == 0 })),
            ("accounts", .array(perAccount)),
        ]
        let window: JSONText = .object([
            ("start", .string(TextFormats.rfc3339(spec.windowStartSeconds))), ("end", .string(TextFormats.rfc3339(asOf))),
        ])
        let manifest: JSONText = .object([
            ("generator", "rapport-dev generate"), ("version", 1),
            ("seed", .string(String(spec.seed))), ("as_of", .string(TextFormats.rfc3339(asOf))), ("window", window),
            ("formats", .array(formats.map { .string($0.rawValue) })),
            ("organization", organizationPart), ("counts", .object(counts)), ("expected", .object(expected)),
        ])
        return manifest.bytes(indent: true)
    }
}
