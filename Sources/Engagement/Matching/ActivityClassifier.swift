import Foundation

/// Turns one email or meeting into its signals (one per account) or the noise rule that skipped it.
///
/// The rules, their precedence and the dedupe keys are in docs/matching.md.
public struct ActivityClassifier: Sendable {
    public let matcher: AccountMatcher
    public let rules: NoiseRules
    private let excludedAddresses: Set<String>
    private let excludedDomains: DomainSet

    public init(matcher: AccountMatcher, rules: NoiseRules) {
        self.matcher = matcher
        self.rules = rules
        excludedAddresses = Set(rules.excludedAddresses.map(EmailAddress.normalize))
        excludedDomains = DomainSet(rules.excludedDomains)
    }

    /// The exclusion rule an address hits (the address list before the domain list), or nil.
    func exclusion(of normalized: String) -> NoiseRule? {
        if excludedAddresses.contains(normalized) { return .excludedAddress }
        if excludedDomains.covers(address: normalized) { return .excludedDomain }
        return nil
    }

    /// The addresses that no exclusion hits, and the rule to blame when some were dropped.
    ///
    /// When both lists dropped someone, `excludedAddress` is blamed.
    func droppingExcluded(_ addresses: [String]) -> (kept: [String], rule: NoiseRule?) {
        guard !excludedAddresses.isEmpty || !excludedDomains.isEmpty else { return (addresses, nil) }
        var kept: [String] = []
        var rule: NoiseRule?
        for address in addresses {
            switch exclusion(of: address) {
            case nil: kept.append(address)
            case .excludedAddress?: rule = .excludedAddress
            case let other?: rule = rule ?? other
            }
        }
        return (kept, rule)
    }
}
