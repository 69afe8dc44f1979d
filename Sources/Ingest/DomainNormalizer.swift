/// Normalizes the web domains of a CRM account (`https://www.Contoso.com/about` → `contoso.com`).
///
/// A cell may list several, separated by `;`, `,` or whitespace. Each is
/// lowercased; a scheme (`https://`), user info (`user@`), port, path, query
/// and fragment are removed, then one leading `www.` and a trailing dot. What
/// is left must be at least two labels of letters, digits and hyphens
/// (Unicode letters allowed; no punycode conversion), or it is rejected.
public enum DomainNormalizer {
    public static func split(_ cell: String) -> [String] {
        cell.split(whereSeparator: { $0 == ";" || $0 == "," || $0.isWhitespace }).map(String.init)
    }

    public static func normalize(_ raw: String) -> String? {
        var s = Substring(raw.trimmingSpaces().lowercased())
        if let r = s.range(of: "://") { s = s[r.upperBound...] }
        if let cut = s.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { s = s[..<cut] }
        if let at = s.lastIndex(of: "@") { s = s[s.index(after: at)...] }
        if let colon = s.lastIndex(of: ":") { s = s[..<colon] }
        while s.last == "." { s.removeLast() }
        if s.hasPrefix("www.") { s = s.dropFirst(4) }
        let labels = s.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, s.count <= 253 else { return nil }
        for l in labels {
            guard !l.isEmpty, l.count <= 63, l.first != "-", l.last != "-",
                  l.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" })
            else { return nil }
        }
        return String(s)
    }
}
