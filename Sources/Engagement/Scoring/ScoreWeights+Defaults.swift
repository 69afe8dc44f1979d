extension ScoreWeights {
    /// The weights of formula version 1 that an environment starts with (docs/scoring.md).
    public static var defaults: ScoreWeights {
        ScoreWeights(
            emailsToAccount: 1.0, emailsFromAccount: 1.5, meetingsToAccount: 2.0, meetingsFromAccount: 2.5,
            meetingHours: 1.5, internalBreadth: 1.0, accountBreadth: 1.5, reciprocity: 2.0, replyLatency: 2.0,
            recencyHalfLifeDays: 45
        )
    }
}
