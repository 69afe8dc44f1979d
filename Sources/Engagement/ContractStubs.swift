// TEMPORARY: signatures the Engagement helper implements (this file is replaced, not kept).
import Foundation

public struct AccountMatcher: Sendable {
    public init(
        internalDomains: [String], selectedAddresses: Set<String>, accounts: [BusinessAccount],
        contactAccount: @escaping @Sendable (String) -> String?, freeMailDomains: FreeMailDomains = .bundled
    ) { fatalError("stub") }
    public func account(of address: String) -> AccountAttribution? { fatalError("stub") }
    public func isInternal(_ address: String) -> Bool { fatalError("stub") }
    public func isSelected(_ address: String) -> Bool { fatalError("stub") }
}

public struct AccountAttribution: Sendable, Hashable {
    public enum Via: Sendable, Hashable { case contact, domain(String) }
    public var accountID: String
    public var via: Via
}

public struct FreeMailDomains: Sendable {
    public static var bundled: FreeMailDomains { fatalError("stub") }
    public func contains(_ domain: String) -> Bool { fatalError("stub") }
}

public struct ActivityClassifier: Sendable {
    public init(matcher: AccountMatcher, rules: NoiseRules) { fatalError("stub") }
    public func classify(_ email: ActivityEmail) -> Classification<EmailSignal> { fatalError("stub") }
    public func classify(_ meeting: ActivityMeeting) -> Classification<MeetingSignal> { fatalError("stub") }
    public static func messageKey(of email: ActivityEmail) -> String? { fatalError("stub") }
}

extension ScoreWeights {
    public static var defaults: ScoreWeights { fatalError("stub") }
}

public enum EngagementScoring {
    public static let version = 1
    public static func score(_ inputs: [ScoreInputs], weights: ScoreWeights) -> [AccountScore] { fatalError("stub") }
}
