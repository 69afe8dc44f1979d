/// How matching reads an address: trimmed, lowercased, split at the last `@`; plus-addressing kept as written.
enum EmailAddress {
    /// The address trimmed of whitespace and lowercased (`A+x@B.com ` → `a+x@b.com`).
    static func normalize(_ address: String) -> String {
        address.trimmingWhitespace().lowercased()
    }

    /// The normalized address, or nil when it is nil or empty after trimming.
    static func normalizeNonEmpty(_ address: String?) -> String? {
        guard let address else { return nil }
        let normalized = normalize(address)
        return normalized.isEmpty ? nil : normalized
    }

    /// The domain after the last `@` of a normalized address, without trailing dots; nil when there is none.
    static func domain(of normalized: String) -> String? {
        guard let at = normalized.lastIndex(of: "@") else { return nil }
        let domain = DomainName.normalize(String(normalized[normalized.index(after: at)...]))
        return domain.isEmpty ? nil : domain
    }

    /// The part before the last `@` of a normalized address (the whole string when it has no `@`).
    static func localPart(of normalized: String) -> Substring {
        guard let at = normalized.lastIndex(of: "@") else { return normalized[...] }
        return normalized[..<at]
    }
}
