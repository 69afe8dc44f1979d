import Engagement

/// What the generator intends the pipeline to make of one email or meeting occurrence.
///
/// It is worked out from the participants' roles (`Participant.Role`) and the
/// noise the generator put in, following docs/matching.md; the tests check it
/// against the production classifier, and the manifest's expected figures are
/// sums of it.
public enum ExpectedOutcome: Sendable, Hashable {
    /// Counted for each of these accounts, in this direction.
    case counted([AccountCount])
    /// Left out by a noise rule.
    case skipped(NoiseRule)
    /// Before the one-year window, or a meeting that has not started by the as-of time.
    case outsideWindow

    /// One account an email or meeting counts for.
    public struct AccountCount: Sendable, Hashable {
        public var account: Int
        public var toAccount: Bool
    }

    public var isCounted: Bool {
        if case .counted = self { return true }
        return false
    }
}
