/// The service extensions a relay lists in its EHLO reply, such as `8BITMIME` and `AUTH PLAIN LOGIN`.
struct SMTPExtensions: Sendable, Equatable {
    /// Upper-cased keyword → its parameters, upper-cased.
    private var parameters: [String: [String]] = [:]

    /// No extensions: the relay answered HELO only.
    init() {}

    /// Reads the lines after the first (the greeting line) of an EHLO reply.
    init(ehloReply reply: SMTPReply) {
        for line in reply.lines.dropFirst() {
            var words = line.uppercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard !words.isEmpty else { continue }
            var keyword = words.removeFirst()
            // Some old relays write "AUTH=PLAIN LOGIN".
            if let equals = keyword.firstIndex(of: "=") {
                words.insert(String(keyword[keyword.index(after: equals)...]), at: 0)
                keyword = String(keyword[..<equals])
            }
            parameters[keyword, default: []].append(contentsOf: words)
        }
    }

    /// Whether the relay listed `keyword` (case-insensitive).
    func supports(_ keyword: String) -> Bool {
        parameters[keyword.uppercased()] != nil
    }

    /// Whether the relay offers the AUTH `mechanism` (case-insensitive).
    func supportsAuthentication(_ mechanism: String) -> Bool {
        parameters["AUTH"]?.contains(mechanism.uppercased()) ?? false
    }
}
