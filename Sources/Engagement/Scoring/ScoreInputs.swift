/// One account's Year-level figures that the EngagementScore is computed from.
public struct ScoreInputs: Sendable, Hashable {
    public var accountID: String
    public var emailsToAccount: Int
    public var emailsFromAccount: Int
    public var meetingsToAccount: Int
    public var meetingsFromAccount: Int
    /// Total minutes of the account's meetings in the window.
    public var meetingMinutes: Double
    /// Distinct selected people in emails or meetings with the account.
    public var internalPeople: Int
    /// Distinct account people in emails or meetings with us.
    public var accountPeople: Int
    /// Days from the as-of time to the last email or started meeting; nil when none.
    public var daysSinceLastActivity: Double?
    /// Mean minutes from our email to the account's reply; nil when no reply was paired.
    public var averageReplyMinutes: Double?

    public init(
        accountID: String, emailsToAccount: Int, emailsFromAccount: Int, meetingsToAccount: Int, meetingsFromAccount: Int,
        meetingMinutes: Double, internalPeople: Int, accountPeople: Int, daysSinceLastActivity: Double?,
        averageReplyMinutes: Double?
    ) {
        self.accountID = accountID
        self.emailsToAccount = emailsToAccount
        self.emailsFromAccount = emailsFromAccount
        self.meetingsToAccount = meetingsToAccount
        self.meetingsFromAccount = meetingsFromAccount
        self.meetingMinutes = meetingMinutes
        self.internalPeople = internalPeople
        self.accountPeople = accountPeople
        self.daysSinceLastActivity = daysSinceLastActivity
        self.averageReplyMinutes = averageReplyMinutes
    }
}
