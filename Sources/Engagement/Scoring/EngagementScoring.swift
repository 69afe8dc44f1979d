import Foundation

/// The EngagementScore: an absolute value per account (`raw`) and its 0–100 rank among the accounts with activity.
///
/// The formula, its version, the default weights and the rank rule are
/// published in docs/scoring.md; `version` changes whenever any of them does.
public enum EngagementScoring {
    /// The version of the formula and rank rule, stored beside every score.
    public static let version = 1

    /// Raw values equal after rounding to this many decimal places share a rank.
    public static let tieDecimals = 6

    /// Scores every account: raw value, components and 0–100 rank.
    ///
    /// One result per input, highest raw first, then by account id in UTF-8
    /// byte order, so the output does not depend on the order of the input.
    /// An account with no email and no meeting gets raw 0 and score 0 and is
    /// left out of the ranking of the others.
    public static func score(_ inputs: [ScoreInputs], weights: ScoreWeights) -> [AccountScore] {
        let evaluated = inputs.map { input in
            (input: input, active: hasActivity(input), components: components(of: input, weights: weights))
        }
        let raws = evaluated.map { $0.active ? $0.components.reduce(0) { $0 + $1.contribution } : 0 }
        let activeKeys = zip(evaluated, raws).filter { $0.0.active }.map { tieKey($0.1) }.sorted()
        var scores: [AccountScore] = []
        scores.reserveCapacity(inputs.count)
        for (entry, raw) in zip(evaluated, raws) {
            guard entry.active else {
                let zeroed = entry.components.map { AccountScore.Component(name: $0.name, input: $0.input, contribution: 0) }
                scores.append(AccountScore(accountID: entry.input.accountID, raw: 0, score: 0, components: zeroed))
                continue
            }
            let rank = rankScore(atOrBelow: countAtOrBelow(tieKey(raw), in: activeKeys), of: activeKeys.count)
            scores.append(AccountScore(accountID: entry.input.accountID, raw: raw, score: rank, components: entry.components))
        }
        return scores.sorted { a, b in
            let (ka, kb) = (tieKey(a.raw), tieKey(b.raw))
            return ka != kb ? ka > kb : ByteOrder.less(a.accountID, b.accountID)
        }
    }

    /// True when the account has at least one email or meeting, in either direction.
    public static func hasActivity(_ input: ScoreInputs) -> Bool {
        input.emailsToAccount > 0 || input.emailsFromAccount > 0 || input.meetingsToAccount > 0
            || input.meetingsFromAccount > 0
    }

    /// `ceil(100 × atOrBelow / count)`, in integers: the share of active accounts this one equals or beats.
    static func rankScore(atOrBelow: Int, of count: Int) -> Int {
        guard count > 0 else { return 0 }
        return (100 * atOrBelow + count - 1) / count
    }

    /// The raw value rounded to `tieDecimals`, the value ranks compare.
    static func tieKey(_ raw: Double) -> Double {
        let scale = pow(10, Double(tieDecimals))
        return (raw * scale).rounded() / scale
    }

    /// How many of the sorted keys are less than or equal to `key` (a binary search).
    private static func countAtOrBelow(_ key: Double, in sorted: [Double]) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] <= key { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
