/// Checks of bare mailbox addresses (`local@domain`) before they enter the envelope or a header.
enum MailAddress {
    /// RFC 5321's limit on a path.
    static let maximumLength = 254

    /// Throws `.invalidMessage` unless `address` is a plain ASCII `local@domain` without
    /// line breaks, spaces, angle brackets or other characters that would change the command or header.
    static func validate(_ address: String, field: String) throws {
        if address.contains(where: { $0.unicodeScalars.contains { $0 == "\r" || $0 == "\n" } }) {
            throw SMTPError(code: .invalidMessage, message: "\(field) contains a line break (header injection)")
        }
        guard address.utf8.count <= maximumLength else {
            throw SMTPError(code: .invalidMessage, message: "\(field) is longer than \(maximumLength) bytes")
        }
        guard address.unicodeScalars.allSatisfy({ $0.isASCII }) else {
            throw SMTPError(code: .invalidMessage, message: "\(field) is not ASCII; internationalised addresses (SMTPUTF8) are not supported")
        }
        let forbidden = Set("<>()[]\\,;:\" \t".unicodeScalars)
        guard address.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && !forbidden.contains($0) }) else {
            throw SMTPError(code: .invalidMessage, message: "\(field) is not a bare address (local@domain): \(address)")
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw SMTPError(code: .invalidMessage, message: "\(field) is not a bare address (local@domain): \(address)")
        }
    }

    /// The part after the `@` of a validated address.
    static func domain(of address: String) -> Substring {
        address[address.index(after: address.lastIndex(of: "@") ?? address.startIndex)...]
    }
}
