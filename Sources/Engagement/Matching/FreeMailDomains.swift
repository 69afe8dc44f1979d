/// Free-mail and ISP mail domains: an address there belongs to an account only through a contact.
///
/// An entry is either a domain (`gmail.com`, which covers its subdomains too)
/// or a family `label.*` (`yahoo.*`): the label followed by any public
/// suffix, i.e. one alphabetic top-level label (`yahoo.fr`, `yahoo.com`) or a
/// generic second level and a two-letter country code (`yahoo.co.uk`,
/// `hotmail.com.br`). The bundled list lives in `data/freemail-domains.txt`
/// (see docs/matching.md for how to maintain it).
public struct FreeMailDomains: Sendable, Hashable {
    private let domains: Set<String>
    private let families: Set<String>

    /// The generic second levels a family accepts before a two-letter country code.
    static let genericSecondLevels: Set<Substring> = ["co", "com", "net", "org", "ne", "or", "ac", "gen", "ltd", "plc"]

    /// A list built from entries (`gmail.com`, `yahoo.*`); blank entries and `#` comments are ignored.
    public init<S: Sequence<String>>(_ entries: S) {
        var domains = Set<String>()
        var families = Set<String>()
        for entry in entries {
            let line = entry.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let trimmed = line.trimmingWhitespace().lowercased()
            if trimmed.hasSuffix(".*") {
                let label = String(trimmed.dropLast(2))
                if !label.isEmpty, !label.contains(".") { families.insert(label) }
            } else {
                let domain = DomainName.normalize(trimmed)
                if domain.contains(".") { domains.insert(domain) }
            }
        }
        self.domains = domains
        self.families = families
    }

    /// The list shipped with Rapport (`data/freemail-domains.txt`, compiled in).
    public static var bundled: FreeMailDomains { bundledList }

    private static let bundledList = FreeMailDomains(bundledEntries)

    /// The entries, sorted: domains as written, families as `label.*`.
    public var entries: [String] {
        (Array(domains) + families.map { $0 + ".*" }).sorted(by: ByteOrder.less)
    }

    /// True when the domain, or a parent of it, is a free-mail domain or belongs to a free-mail family.
    public func contains(_ domain: String) -> Bool {
        let normalized = DomainName.normalize(domain)
        let labels = normalized.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for start in 0..<(labels.count - 1) {
            if domains.contains(labels[start...].joined(separator: ".")) { return true }
            if families.contains(String(labels[start])), Self.isPublicSuffix(labels[(start + 1)...]) { return true }
        }
        return false
    }

    /// One alphabetic top-level label, or a generic second level and a two-letter country code.
    static func isPublicSuffix(_ labels: ArraySlice<Substring>) -> Bool {
        let isAlpha: (Substring) -> Bool = { $0.allSatisfy { ("a"..."z").contains($0) } }
        switch labels.count {
        case 1:
            let tld = labels[labels.startIndex]
            return tld.count >= 2 && isAlpha(tld)
        case 2:
            let second = labels[labels.startIndex], country = labels[labels.startIndex + 1]
            return genericSecondLevels.contains(second) && country.count == 2 && isAlpha(country)
        default:
            return false
        }
    }
}
