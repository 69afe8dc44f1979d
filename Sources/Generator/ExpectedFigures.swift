import Engagement

/// The Year-level figures the pipeline should compute from the generated activity, summed from the expectations.
///
/// Emails and occurrences are distinct (as the generator made them), so these
/// are the figures after the pipeline's dedupe across mailboxes.
public struct ExpectedFigures: Sendable, Hashable {
    /// One account's figures in the window.
    public struct Account: Sendable, Hashable {
        public var emailsToAccount = 0
        public var emailsFromAccount = 0
        public var meetingsToAccount = 0
        public var meetingsFromAccount = 0
        /// Seconds since 1970 of the last counted email / meeting start, nil when none.
        public var lastEmail: Int?
        public var lastMeeting: Int?
        public var firstActivity: Int?

        public var signals: Int { emailsToAccount + emailsFromAccount + meetingsToAccount + meetingsFromAccount }
    }

    public var accounts: [Account]
    public var emails = 0
    public var meetingOccurrences = 0
    /// Distinct emails / occurrences that count for at least one account.
    public var emailsCounted = 0
    public var meetingsCounted = 0
    public var emailSignals = 0
    public var meetingSignals = 0
    public var emailsOutsideWindow = 0
    public var meetingsOutsideWindow = 0
    /// Skipped distinct emails and occurrences per noise rule.
    public var emailsSkipped: [NoiseRule: Int] = [:]
    public var meetingsSkipped: [NoiseRule: Int] = [:]
    /// Copies of emails over all selected mailboxes (what the mbox files hold in total).
    public var emailCopies = 0
    public var meetingEvents = 0

    public init(accountCount: Int) {
        accounts = [Account](repeating: Account(), count: accountCount)
    }

    public mutating func add(_ chunk: ActivityChunk) {
        for email in chunk.emails {
            emails += 1
            emailCopies += email.mailboxes.count
            switch email.expectation {
            case .outsideWindow: emailsOutsideWindow += 1
            case .skipped(let rule): emailsSkipped[rule, default: 0] += 1
            case .counted(let counts):
                emailsCounted += 1
                for count in counts {
                    emailSignals += 1
                    var account = accounts[count.account]
                    if count.toAccount { account.emailsToAccount += 1 } else { account.emailsFromAccount += 1 }
                    account.lastEmail = max(account.lastEmail ?? .min, email.sentAt)
                    account.firstActivity = min(account.firstActivity ?? .max, email.sentAt)
                    accounts[count.account] = account
                }
            }
        }
        for event in chunk.events {
            meetingEvents += 1
            for occurrence in event.occurrences {
                meetingOccurrences += 1
                switch occurrence.expectation {
                case .outsideWindow: meetingsOutsideWindow += 1
                case .skipped(let rule): meetingsSkipped[rule, default: 0] += 1
                case .counted(let counts):
                    meetingsCounted += 1
                    for count in counts {
                        meetingSignals += 1
                        var account = accounts[count.account]
                        if count.toAccount { account.meetingsToAccount += 1 } else { account.meetingsFromAccount += 1 }
                        account.lastMeeting = max(account.lastMeeting ?? .min, occurrence.start)
                        account.firstActivity = min(account.firstActivity ?? .max, occurrence.start)
                        accounts[count.account] = account
                    }
                }
            }
        }
    }

    /// Accounts with at least one counted email or meeting (the seed's "enriched customers").
    public var enrichedAccounts: [Int] { accounts.indices.filter { accounts[$0].signals > 0 } }

    /// The accounts with the most signals, most first (ties by index).
    public func busiest(_ count: Int) -> [Int] {
        Array(accounts.indices.filter { accounts[$0].signals > 0 }
            .sorted { (accounts[$0].signals, $1) > (accounts[$1].signals, $0) }.prefix(count))
    }

    /// Enriched accounts whose last counted email and meeting are both more than `days` whole days before `asOf`.
    public func stale(asOf: Int, days: Int = 90) -> [Int] {
        enrichedAccounts.filter { index in
            let account = accounts[index]
            func old(_ last: Int?) -> Bool { last.map { (asOf - $0) / 86_400 > days } ?? true }
            return old(account.lastEmail) && old(account.lastMeeting)
        }
    }
}
