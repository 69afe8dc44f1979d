import Platform

/// Builds Graph URLs: RFC 3986 percent-encoding and OData string literals.
enum GraphURL {
    /// Percent-encodes everything but RFC 3986's unreserved characters (for query values and path segments).
    static func encode(_ text: String) -> String {
        GraphAdminConsent.percentEncoded(text)
    }

    /// An OData string literal: single quotes, doubled inside.
    static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
