import Engagement
import Foundation
import Postgres
import Synchronization

/// Turns activity records into pseudonymized, account-attributed signals in the region database.
///
/// Each record is classified (matching and noise rules of `Engagement`), its
/// signals are encoded with every address and message id replaced by a keyed
/// hash, and the rows stream through COPY into a staging table; one
/// `INSERT … ON CONFLICT DO NOTHING` per table then stores what is new, so a
/// message seen in several mailboxes, or imported twice, is stored once. A
/// failure rolls the whole import back.
public struct ActivityImporter: Sendable {
    /// The environment's slice of its region database.
    public let slice: EnvironmentDatabase
    public let hasher: AddressHasher
    var database: RegionDatabase { slice.database }
    var tenant: UUID { slice.tenant }
    var environment: UUID { slice.environment }

    public init(_ slice: EnvironmentDatabase, hasher: AddressHasher) {
        self.slice = slice
        self.hasher = hasher
    }

    /// Who counts as whom for one environment.
    public struct Scope: Sendable {
        /// The tenant's own mail domains.
        public var internalDomains: [String]
        /// The selected mailboxes; `nil` until an enrichment selects some: then every internal address counts.
        public var selectedAddresses: Set<String>?
        /// The contact column whose address maps a person to an account; `nil`: any email column.
        public var emailField: String?
        public var rules: NoiseRules
        /// Records before this are outside the window and skipped.
        public var windowStart: Date
        public var windowEnd: Date

        public init(
            internalDomains: [String], selectedAddresses: Set<String>?, emailField: String?,
            rules: NoiseRules = NoiseRules(), windowStart: Date, windowEnd: Date
        ) {
            self.internalDomains = internalDomains
            self.selectedAddresses = selectedAddresses
            self.emailField = emailField
            self.rules = rules
            self.windowStart = windowStart
            self.windowEnd = windowEnd
        }
    }

    /// Imports every record `source` yields, in one transaction.
    public func importRecords(
        _ scope: Scope,
        from source: (_ consume: (ActivityRecord) async throws -> Void) async throws -> Void
    ) async throws -> ImportReport {
        let classifier = try await makeClassifier(scope)
        var report = ImportReport()
        var perAccount: [String: Int] = [:]
        var cancelledOccurrences: [Int64] = []
        let encoder = SignalRowEncoder(hasher: hasher, tenant: tenant, environment: environment)
        try await database.withTenant(tenant) { connection in
            try await connection.execute(
                """
                CREATE TEMPORARY TABLE staging_signal (
                    is_email boolean, key bigint, account_id text, t1 timestamptz, t2 timestamptz, to_account boolean,
                    internal_people bigint[], account_people bigint[], replies_to bigint[], conversation bigint, domains bigint[]
                ) ON COMMIT DROP
                """)
            try await connection.copyFrom("COPY staging_signal FROM STDIN") { writer in
                try await source { record in
                    report.recordsRead += 1
                    switch record {
                    case .email(let email):
                        report.emailsRead += 1
                        if let sent = email.sentAt, sent < scope.windowStart || sent > scope.windowEnd {
                            report.outsideWindow += 1
                            return
                        }
                        switch classifier.classify(email) {
                        case .skipped(let rule): report.skip(rule)
                        case .signals(let signals):
                            for signal in signals {
                                perAccount[signal.accountID, default: 0] += 1
                                try await writer.writeEncoded(encoder.row(signal))
                            }
                        }
                    case .meeting(let meeting):
                        report.meetingsRead += 1
                        if meeting.start < scope.windowStart || meeting.start > scope.windowEnd {
                            report.outsideWindow += 1
                            return
                        }
                        switch classifier.classify(meeting) {
                        case .skipped(let rule):
                            report.skip(rule)
                            if rule == .cancelledMeeting {
                                cancelledOccurrences.append(encoder.occurrenceKey(meeting))
                            }
                        case .signals(let signals):
                            for signal in signals {
                                perAccount[signal.accountID, default: 0] += 1
                                try await writer.writeEncoded(encoder.row(signal))
                            }
                        }
                    }
                }
            }
            // A cancellation that arrives after the meeting was stored removes it.
            if !cancelledOccurrences.isEmpty {
                try await connection.execute(
                    "DELETE FROM meeting_signal WHERE environment_id = \(environment) AND occurrence_key = ANY(\(cancelledOccurrences))")
            }
            report.emailSignalsStored = try await connection.execute(
                """
                INSERT INTO email_signal (tenant_id, environment_id, message_key, account_id, sent_at, to_account,
                                          internal_people, account_people, replies_to, conversation, domains)
                SELECT DISTINCT ON (key, account_id) \(tenant), \(environment), key, account_id, t1, to_account,
                       internal_people, account_people, replies_to, conversation, domains
                FROM staging_signal WHERE is_email ORDER BY key, account_id
                ON CONFLICT DO NOTHING
                """)
            report.meetingSignalsStored = try await connection.execute(
                """
                INSERT INTO meeting_signal (tenant_id, environment_id, occurrence_key, account_id, starts_at, ends_at, to_account,
                                            internal_people, account_people, domains)
                SELECT DISTINCT ON (key, account_id) \(tenant), \(environment), key, account_id, t1, t2, to_account,
                       internal_people, account_people, domains
                FROM staging_signal WHERE NOT is_email ORDER BY key, account_id
                ON CONFLICT (tenant_id, environment_id, occurrence_key, account_id) DO UPDATE
                SET starts_at = excluded.starts_at, ends_at = excluded.ends_at, to_account = excluded.to_account,
                    internal_people = excluded.internal_people, account_people = excluded.account_people, domains = excluded.domains
                WHERE (meeting_signal.starts_at, meeting_signal.ends_at, meeting_signal.internal_people, meeting_signal.account_people)
                   IS DISTINCT FROM (excluded.starts_at, excluded.ends_at, excluded.internal_people, excluded.account_people)
                """)
        }
        let total = perAccount.values.reduce(0, +)
        report.duplicates = total - report.emailSignalsStored - report.meetingSignalsStored
        report.accountsMatched = perAccount.count
        report.topAccounts = perAccount.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(20)
            .map { ImportReport.AccountCount(accountID: $0.key, signals: $0.value) }
        return report
    }

    /// Deletes every stored signal of the environment (`rapport-dev demo` starting over with a new organization).
    @discardableResult
    public func deleteAll() async throws -> (emails: Int, meetings: Int) {
        try await database.withTenant(tenant) { connection in
            (
                try await connection.execute("DELETE FROM email_signal WHERE environment_id = \(environment)"),
                try await connection.execute("DELETE FROM meeting_signal WHERE environment_id = \(environment)")
            )
        }
    }

    /// Deletes stored signals that involve an excluded address or domain: exclusions apply retroactively.
    ///
    /// Works on the keyed hashes: the excluded addresses and domains are hashed
    /// the same way and compared with the signals' participant and domain keys.
    public func applyExclusions(rules: NoiseRules) async throws -> (emails: Int, meetings: Int) {
        guard !rules.excludedAddresses.isEmpty || !rules.excludedDomains.isEmpty else { return (0, 0) }
        let encoder = SignalRowEncoder(hasher: hasher, tenant: tenant, environment: environment)
        let people = rules.excludedAddresses.map { encoder.key("person:" + $0.lowercased()) }
        let domains = rules.excludedDomains.map { encoder.key("domain:" + $0.lowercased()) }
        return try await database.withTenant(tenant) { connection in
            let emails = try await connection.execute(
                """
                DELETE FROM email_signal WHERE environment_id = \(environment)
                AND (internal_people && \(people) OR account_people && \(people) OR domains && \(domains))
                """)
            let meetings = try await connection.execute(
                """
                DELETE FROM meeting_signal WHERE environment_id = \(environment)
                AND (internal_people && \(people) OR account_people && \(people) OR domains && \(domains))
                """)
            return (emails, meetings)
        }
    }

    /// Loads the environment's accounts and contact hashes and builds the classifier.
    func makeClassifier(_ scope: Scope) async throws -> ActivityClassifier {
        let (accounts, contacts) = try await database.withTenant(tenant) { connection in
            let accounts = try await connection.query(
                "SELECT \(BusinessAccount.columns) FROM business_account WHERE environment_id = \(environment)"
            ).map(BusinessAccount.init(row:))
            var contactQuery: PostgresQuery = """
                SELECT e.address_hash, c.account_id FROM contact_email e
                JOIN contact c USING (tenant_id, environment_id, contact_id)
                WHERE e.environment_id = \(environment)
                """
            if let field = scope.emailField { contactQuery.append(" AND e.field = \(field.lowercased())") }
            var index: [Data: String] = [:]
            for row in try await connection.query(contactQuery) {
                let (hash, account) = try row.decode((Data, String).self)
                // Two contacts with one address: the lowest account id wins, as for domains.
                if let existing = index[hash], existing <= account { continue }
                index[hash] = account
            }
            return (accounts, index)
        }
        let hasher = self.hasher
        let lookup = ContactLookup(index: contacts, hasher: hasher)
        let selected: Set<String>
        if let chosen = scope.selectedAddresses {
            selected = chosen
        } else {
            selected = []
        }
        let matcher = AccountMatcher(
            internalDomains: scope.internalDomains,
            selectedAddresses: selected,
            accounts: accounts,
            contactAccount: { lookup.account(for: $0) })
        return ActivityClassifier(matcher: scope.selectedAddresses == nil ? matcher.treatingInternalAsSelected() : matcher, rules: scope.rules)
    }
}

/// Maps an address to its contact's account through the address's keyed hash, memoized.
final class ContactLookup: Sendable {
    private let index: [Data: String]
    private let hasher: AddressHasher
    private let memo = Mutex<[String: String?]>([:])

    init(index: [Data: String], hasher: AddressHasher) {
        self.index = index
        self.hasher = hasher
    }

    func account(for address: String) -> String? {
        memo.withLock { memo in
            if let known = memo[address] { return known }
            let account = index[hasher.hash(address)]
            if memo.count < 1_000_000 { memo[address] = account }
            return account
        }
    }
}
