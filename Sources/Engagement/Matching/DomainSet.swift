/// A set of domains that also covers their subdomains (`contoso.com` covers `eu.contoso.com`).
struct DomainSet: Sendable {
    private let domains: Set<String>

    /// Normalizes each entry; entries of fewer than two labels are ignored (they would cover a whole TLD).
    init<S: Sequence<String>>(_ entries: S) {
        domains = Set(entries.map(DomainName.normalize).filter { $0.contains(".") })
    }

    var isEmpty: Bool { domains.isEmpty }

    /// True when `domain` or one of its parents is in the set.
    func covers(_ domain: String) -> Bool {
        guard !domains.isEmpty else { return false }
        return DomainName.selfAndParents(domain).contains { domains.contains(String($0)) }
    }

    /// True when the domain of the normalized `address` is covered.
    func covers(address normalized: String) -> Bool {
        guard !domains.isEmpty, let domain = EmailAddress.domain(of: normalized) else { return false }
        return covers(domain)
    }
}
