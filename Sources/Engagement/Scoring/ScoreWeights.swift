/// The weights of the EngagementScore formula; an admin may change them per environment.
///
/// The formula and the meaning of each weight are in docs/scoring.md.
public struct ScoreWeights: Sendable, Hashable, Codable {
    public var emailsToAccount: Double
    public var emailsFromAccount: Double
    public var meetingsToAccount: Double
    public var meetingsFromAccount: Double
    public var meetingHours: Double
    public var internalBreadth: Double
    public var accountBreadth: Double
    public var reciprocity: Double
    public var replyLatency: Double
    /// Days after which the recency factor halves.
    public var recencyHalfLifeDays: Double

    public init(
        emailsToAccount: Double, emailsFromAccount: Double, meetingsToAccount: Double, meetingsFromAccount: Double,
        meetingHours: Double, internalBreadth: Double, accountBreadth: Double, reciprocity: Double, replyLatency: Double,
        recencyHalfLifeDays: Double
    ) {
        self.emailsToAccount = emailsToAccount
        self.emailsFromAccount = emailsFromAccount
        self.meetingsToAccount = meetingsToAccount
        self.meetingsFromAccount = meetingsFromAccount
        self.meetingHours = meetingHours
        self.internalBreadth = internalBreadth
        self.accountBreadth = accountBreadth
        self.reciprocity = reciprocity
        self.replyLatency = replyLatency
        self.recencyHalfLifeDays = recencyHalfLifeDays
    }
}
