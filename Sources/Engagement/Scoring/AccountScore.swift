/// An account's EngagementScore and why it is what it is.
public struct AccountScore: Sendable, Hashable, Codable {
    /// One term of the formula: its input value and what it added to the raw score.
    public struct Component: Sendable, Hashable, Codable {
        public var name: String
        public var input: Double
        public var contribution: Double

        public init(name: String, input: Double, contribution: Double) {
            self.name = name
            self.input = input
            self.contribution = contribution
        }
    }

    public var accountID: String
    /// The unranked value of the formula.
    public var raw: Double
    /// 0–100: the rank among the environment's accounts with activity (100 for the most engaged).
    public var score: Int
    public var components: [Component]

    public init(accountID: String, raw: Double, score: Int, components: [Component]) {
        self.accountID = accountID
        self.raw = raw
        self.score = score
        self.components = components
    }
}
