import Foundation

/// Checks shared by the API and the operator commands; failures name the field.
public enum Validation {
    public static let maximumNameLength = 200

    /// A display name: trimmed, 1 to 200 characters, no control characters.
    public static func name(_ value: String, field: String) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw StoreError(.invalid, "must not be empty", field: field) }
        guard trimmed.count <= maximumNameLength else {
            throw StoreError(.invalid, "must be at most \(maximumNameLength) characters", field: field)
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw StoreError(.invalid, "must not contain control characters", field: field)
        }
        return trimmed
    }

    /// A DNS domain name (`contoso.com`), lowercased; internationalized names in their A-label form.
    public static func domain(_ value: String, field: String) throws -> String {
        let domain = value.trimmingCharacters(in: .whitespaces).lowercased()
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard domain.count <= 253, labels.count >= 2,
            labels.allSatisfy({ label in
                (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                    && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            }),
            labels.last!.contains(where: { $0.isLetter })
        else {
            throw StoreError(.invalid, "\"\(value)\" is not a domain name such as contoso.com", field: field)
        }
        return domain
    }

    /// An email address `local@domain`, lowercased domain; at most 320 characters.
    public static func email(_ value: String, field: String) throws -> String {
        let text = value.trimmingCharacters(in: .whitespaces)
        guard text.count <= 320, let at = text.lastIndex(of: "@"), at != text.startIndex,
            !text[..<at].contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" })
        else {
            throw StoreError(.invalid, "\"\(value)\" is not an email address", field: field)
        }
        let domain = try self.domain(String(text[text.index(after: at)...]), field: field)
        return String(text[..<at]) + "@" + domain
    }

    /// An https URL with a host, as a Dataverse organization URL must be.
    public static func httpsURL(_ value: String, field: String) throws -> String {
        guard let components = URLComponents(string: value), components.scheme?.lowercased() == "https",
            let host = components.host, !host.isEmpty, components.user == nil, components.password == nil
        else {
            throw StoreError(.invalid, "must be an https URL such as https://contoso.crm.dynamics.com", field: field)
        }
        return value
    }
}
