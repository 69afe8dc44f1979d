/// Domain-name helpers shared by matching: normalization and the walk up to parent domains.
enum DomainName {
    /// Lowercased and trimmed of whitespace, a leading `@` or `.`, and trailing dots (`@EU.Contoso.com.` → `eu.contoso.com`).
    static func normalize(_ domain: String) -> String {
        var s = Substring(domain.trimmingWhitespace().lowercased())
        while s.first == "@" || s.first == "." { s.removeFirst() }
        while s.last == "." { s.removeLast() }
        return String(s)
    }

    /// The domain and each parent that still has at least two labels, most specific first.
    ///
    /// `a.eu.contoso.com` → `a.eu.contoso.com`, `eu.contoso.com`, `contoso.com`.
    static func selfAndParents(_ domain: String) -> [Substring] {
        var out: [Substring] = []
        var rest = Substring(domain)
        while rest.contains(".") {
            out.append(rest)
            rest = rest[rest.index(after: rest.firstIndex(of: ".")!)...]
        }
        return out
    }
}
