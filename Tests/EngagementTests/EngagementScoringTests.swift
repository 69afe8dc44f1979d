import Engagement
import Foundation
import Testing

@Suite("EngagementScore")
struct EngagementScoringTests {
    static func input(
        _ id: String, to: Int = 0, from: Int = 0, meetingsTo: Int = 0, meetingsFrom: Int = 0, minutes: Double = 0,
        ours: Int = 0, theirs: Int = 0, days: Double? = 0, reply: Double? = nil
    ) -> ScoreInputs {
        ScoreInputs(
            accountID: id, emailsToAccount: to, emailsFromAccount: from, meetingsToAccount: meetingsTo,
            meetingsFromAccount: meetingsFrom, meetingMinutes: minutes, internalPeople: ours, accountPeople: theirs,
            daysSinceLastActivity: days, averageReplyMinutes: reply
        )
    }

    /// A deterministic spread of accounts.
    static let sample: [ScoreInputs] = (0..<40).map { i in
        input(
            "acct-\(i)", to: (i * 7) % 23, from: (i * 5) % 17, meetingsTo: i % 4, meetingsFrom: (i / 3) % 3,
            minutes: Double((i % 4) * 45), ours: 1 + i % 5, theirs: i % 6, days: Double((i * 11) % 200),
            reply: i % 3 == 0 ? nil : Double(30 * (i % 9))
        )
    }

    func scores(_ inputs: [ScoreInputs], _ weights: ScoreWeights = .defaults) -> [String: AccountScore] {
        Dictionary(uniqueKeysWithValues: EngagementScoring.score(inputs, weights: weights).map { ($0.accountID, $0) })
    }

    @Test func version() {
        #expect(EngagementScoring.version == 1)
    }

    @Test func scoresAreWithinRangeAndTopIs100() {
        let result = EngagementScoring.score(Self.sample, weights: .defaults)
        #expect(result.count == Self.sample.count)
        #expect(result.allSatisfy { (0...100).contains($0.score) })
        let active = result.filter { $0.raw > 0 }
        let top = active.max { $0.raw < $1.raw }!
        #expect(top.score == 100)
        #expect(result.first?.accountID == top.accountID)
        #expect(active.allSatisfy { $0.score >= 1 })
    }

    @Test func scoreOrderFollowsRawOrder() {
        let result = EngagementScoring.score(Self.sample, weights: .defaults)
        for (a, b) in zip(result, result.dropFirst()) {
            #expect(a.raw >= b.raw)
            #expect(a.score >= b.score)
        }
    }

    @Test func componentsSumToRaw() {
        for s in EngagementScoring.score(Self.sample, weights: .defaults) {
            #expect(s.components.map(\.name) == EngagementScoring.ComponentName.all)
            #expect(abs(s.components.reduce(0) { $0 + $1.contribution } - s.raw) < 1e-9)
            #expect(s.components.last?.contribution == 0)
        }
    }

    @Test func oneMoreEmailOrMeetingNeverLowersRaw() {
        for base in Self.sample {
            let before = scores([base])[base.accountID]!.raw
            for bump in [\ScoreInputs.emailsToAccount, \.emailsFromAccount, \.meetingsToAccount, \.meetingsFromAccount] {
                var more = base
                more[keyPath: bump] += 1
                #expect(scores([more])[base.accountID]!.raw >= before)
                #expect(scores([more])[base.accountID]!.raw > 0)
            }
        }
    }

    @Test func tiesGetEqualScores() {
        let inputs = [
            Self.input("a", to: 5, from: 3, days: 2), Self.input("b", to: 3, from: 5, days: 2),
            Self.input("c", to: 3, from: 5, days: 2), Self.input("d", to: 1, days: 40),
        ]
        var equal = ScoreWeights.defaults
        equal.emailsFromAccount = equal.emailsToAccount
        let s = scores(inputs, equal)
        #expect(s["a"]!.score == 100 && s["b"]!.score == 100 && s["c"]!.score == 100)
        #expect(s["d"]!.score == 25)
    }

    @Test func rankRule() {
        // ceil(100 × accounts at or below / active accounts)
        let inputs = (1...3).map { Self.input("a\($0)", to: $0) } + [Self.input("idle")]
        let s = scores(inputs)
        #expect(s["a3"]!.score == 100)
        #expect(s["a2"]!.score == 67)
        #expect(s["a1"]!.score == 34)
        #expect(s["idle"]! == AccountScore(accountID: "idle", raw: 0, score: 0, components: s["idle"]!.components))
        #expect(scores([Self.input("only", meetingsFrom: 1)])["only"]!.score == 100)
        #expect(EngagementScoring.score([], weights: .defaults).isEmpty)
    }

    @Test func deterministicRegardlessOfInputOrder() {
        let forward = EngagementScoring.score(Self.sample, weights: .defaults)
        let backward = EngagementScoring.score(Self.sample.reversed(), weights: .defaults)
        var shuffled = Self.sample
        var generator = SplitMix(seed: 42)
        shuffled.shuffle(using: &generator)
        #expect(forward == backward)
        #expect(forward == EngagementScoring.score(shuffled, weights: .defaults))
    }

    @Test func weightsScaleTheirTermsLinearly() {
        let a = Self.input("a", to: 4, from: 2, meetingsTo: 1, minutes: 90, ours: 2, theirs: 3, days: 10, reply: 120)
        let base = scores([a])["a"]!
        var w = ScoreWeights.defaults
        w.emailsToAccount *= 2
        let doubled = scores([a], w)["a"]!
        let term = { (s: AccountScore) in s.components.first { $0.name == "emails_to_account" }!.contribution }
        #expect(abs(term(doubled) - 2 * term(base)) < 1e-12)
        #expect(abs(doubled.raw - base.raw - term(base)) < 1e-9)
        w = .defaults
        w.reciprocity = 0
        #expect(abs(scores([a], w)["a"]!.raw - (base.raw - base.components.first { $0.name == "reciprocity" }!.contribution)) < 1e-9)
    }

    @Test func recencyIsAHalfLifeDecay() {
        let fresh = scores([Self.input("a", to: 3, days: 0)])["a"]!.raw
        let halfLife = ScoreWeights.defaults.recencyHalfLifeDays
        let old = scores([Self.input("a", to: 3, days: halfLife)])["a"]!.raw
        let older = scores([Self.input("a", to: 3, days: 2 * halfLife)])["a"]!.raw
        #expect(abs(old - fresh / 2) < 1e-9)
        #expect(abs(older - fresh / 4) < 1e-9)
        #expect(EngagementScoring.recencyFactor(daysSinceLastActivity: nil, halfLifeDays: 45) == 1)
        #expect(EngagementScoring.recencyFactor(daysSinceLastActivity: -3, halfLifeDays: 45) == 1)
        #expect(EngagementScoring.recencyFactor(daysSinceLastActivity: 90, halfLifeDays: 0) == 1)
        let factor = scores([Self.input("a", to: 3, days: halfLife)])["a"]!.components.last!
        #expect(factor.name == "recency_factor" && abs(factor.input - 0.5) < 1e-12)
    }

    @Test func fasterRepliesScoreHigher() {
        let fast = scores([Self.input("a", to: 2, from: 2, reply: 30)])["a"]!.raw
        let slow = scores([Self.input("a", to: 2, from: 2, reply: 3 * 1440)])["a"]!.raw
        let none = scores([Self.input("a", to: 2, from: 2, reply: nil)])["a"]!.raw
        #expect(fast > slow && slow > none)
    }

    @Test func reciprocityRewardsBalance() {
        let balanced = scores([Self.input("a", to: 5, from: 5)], ScoreWeights.defaults.withEqualEmailWeights)["a"]!.raw
        let oneSided = scores([Self.input("a", to: 10, from: 0)], ScoreWeights.defaults.withEqualEmailWeights)["a"]!.raw
        #expect(balanced > oneSided)
    }

    @Test func badWeightsAndInputsCountAsZero() {
        var w = ScoreWeights.defaults
        w.emailsToAccount = -5
        w.meetingHours = .nan
        let s = scores([Self.input("a", to: 3, minutes: .infinity)], w)["a"]!
        #expect(s.raw.isFinite && s.raw >= 0)
        #expect(s.components.allSatisfy { $0.contribution.isFinite && $0.contribution >= 0 })
    }

    /// The worked example of docs/scoring.md.
    @Test func documentedExample() {
        let s = scores([
            Self.input("contoso", to: 12, from: 8, meetingsTo: 2, meetingsFrom: 1, minutes: 150, ours: 3, theirs: 4, days: 9, reply: 240),
            Self.input("fabrikam", to: 3, from: 0, meetingsTo: 0, meetingsFrom: 0, minutes: 0, ours: 1, theirs: 1, days: 60, reply: nil),
            Self.input("northwind", to: 5, from: 4, meetingsTo: 1, meetingsFrom: 0, minutes: 30, ours: 2, theirs: 2, days: 20, reply: 60),
        ])
        #expect(abs(s["contoso"]!.raw - 18.969) < 0.001)
        #expect(abs(s["fabrikam"]!.raw - 1.238) < 0.001)
        #expect(abs(s["northwind"]!.raw - 10.351) < 0.001)
        #expect(s["contoso"]!.score == 100 && s["northwind"]!.score == 67 && s["fabrikam"]!.score == 34)
    }
}

extension ScoreWeights {
    var withEqualEmailWeights: ScoreWeights {
        var w = self
        w.emailsFromAccount = w.emailsToAccount
        return w
    }
}

/// A small seeded generator so shuffles are reproducible.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
