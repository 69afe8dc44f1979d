import Engagement

/// What an activity import did: records read, signals kept, and why others were skipped.
public struct ImportReport: Sendable, Codable, Equatable {
    public var recordsRead = 0
    public var emailsRead = 0
    public var meetingsRead = 0
    /// Email signals (message × account) newly stored; a message already stored counts as a duplicate.
    public var emailSignalsStored = 0
    public var meetingSignalsStored = 0
    /// Signals that were already in the store (the same message seen in another mailbox, or a re-import).
    public var duplicates = 0
    /// Records outside the one-year window before the import.
    public var outsideWindow = 0
    /// Skipped records per noise rule.
    public var skipped: [String: Int] = [:]
    /// Distinct accounts that received a signal.
    public var accountsMatched = 0
    /// Signals per account, for the accounts with the most.
    public var topAccounts: [AccountCount] = []
    /// Lines or files that could not be read, with where.
    public var problems: [Problem] = []

    public struct AccountCount: Sendable, Codable, Equatable {
        public var accountID: String
        public var signals: Int
    }

    public struct Problem: Sendable, Codable, Equatable {
        public var file: String?
        public var line: Int?
        public var field: String?
        public var message: String

        public init(file: String?, line: Int?, field: String?, message: String) {
            self.file = file
            self.line = line
            self.field = field
            self.message = message
        }
    }

    public init() {}

    mutating func skip(_ rule: NoiseRule) {
        skipped[rule.rawValue, default: 0] += 1
    }
}
