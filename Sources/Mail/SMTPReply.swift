/// One reply of the relay, possibly of several lines (`250-…`, then `250 …`).
struct SMTPReply: Sendable, Equatable {
    /// The three-digit reply code of the last line.
    var code: Int
    /// The text of each line, after the code and separator.
    var lines: [String]

    /// The code and text as one line, for error messages.
    var summary: String {
        ([String(code)] + lines.filter { !$0.isEmpty }).joined(separator: " ")
    }

    /// Whether the reply is a temporary (4xx) or permanent (5xx) failure.
    var isFailure: Bool { code >= 400 }
}
