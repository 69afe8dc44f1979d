import Foundation

/// Checks shared by the API and the operator commands; failures name the field.
public enum Validation {
    public static let maximumNameLength = 200

    /// A display name: trimmed, 1 to `limit` (200) characters, no control characters.
    public static func name(_ value: String, field: String, limit: Int = maximumNameLength) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ServiceError(.invalid, "must not be empty", field: field) }
        guard trimmed.count <= limit else {
            throw ServiceError(.invalid, "must be at most \(limit) characters", field: field)
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ServiceError(.invalid, "must not contain control characters", field: field)
        }
        return trimmed
    }

    /// An id from a customer's system: trimmed, 1 to 200 characters, no control characters.
    public static func identifier(_ value: String, field: String) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw ServiceError(.invalid, "must not be empty", field: field) }
        guard trimmed.count <= maximumNameLength else { throw ServiceError(.invalid, "must be at most \(maximumNameLength) characters", field: field) }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ServiceError(.invalid, "must not contain control characters", field: field)
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
            throw ServiceError(.invalid, "\"\(value)\" is not a domain name such as contoso.com", field: field)
        }
        return domain
    }

    /// An email address `local@domain`, lowercased domain; at most 320 characters.
    public static func email(_ value: String, field: String) throws -> String {
        let text = value.trimmingCharacters(in: .whitespaces)
        guard text.count <= 320, let at = text.lastIndex(of: "@"), at != text.startIndex,
            !text[..<at].contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" })
        else {
            throw ServiceError(.invalid, "\"\(value)\" is not an email address", field: field)
        }
        let domain = try self.domain(String(text[text.index(after: at)...]), field: field)
        return String(text[..<at]) + "@" + domain
    }

    /// An https URL with a host, as a Dataverse organization URL must be.
    public static func httpsURL(_ value: String, field: String) throws -> String {
        guard let components = URLComponents(string: value), components.scheme?.lowercased() == "https",
            let host = components.host, !host.isEmpty, components.user == nil, components.password == nil
        else {
            throw ServiceError(.invalid, "must be an https URL such as https://contoso.crm.dynamics.com", field: field)
        }
        return value
    }

    /// The years a calendar date may name: PostgreSQL's `date` and ISO 8601 both need a four-digit year from 1.
    public static let dateYears = 1000...9999

    /// A calendar date `YYYY-MM-DD` (no 31 February, a year in `dateYears`), as midnight UTC.
    public static func day(_ value: String, field: String) throws -> Date {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), dateYears.contains(year),
            let date = Calendar.utc.date(from: DateComponents(year: year, month: month, day: day)),
            Calendar.utc.component(.day, from: date) == day, Calendar.utc.component(.month, from: date) == month
        else {
            throw ServiceError(.invalid, "must be a date YYYY-MM-DD from \(dateYears.lowerBound) to \(dateYears.upperBound)", field: field)
        }
        return date
    }
}
