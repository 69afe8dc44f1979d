/// An input that could not be parsed, with where it went wrong.
///
/// Shaped like postgres-nio's `PSQLError`: a stable `code` to switch on, and
/// a message for people. `line` is a 1-based line (NDJSON) or row (CSV);
/// `field` names the JSON field or CSV column.
public struct IngestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure; stable across releases.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file or stream could not be opened or read.
        public static let unreadable = Code("unreadable")
        /// The bytes are not in the format the parser expects.
        public static let malformed = Code("malformed")
        /// A required field or column is absent.
        public static let missingField = Code("missing_field")
        /// A field is present but its value is not acceptable.
        public static let invalidField = Code("invalid_field")
        /// The file kind could not be told from its name or content.
        public static let unknownFormat = Code("unknown_format")
    }

    public var code: Code
    public var message: String
    public var line: Int?
    public var field: String?
    public var file: String?

    public init(_ code: Code, _ message: String, line: Int? = nil, field: String? = nil, file: String? = nil) {
        self.code = code
        self.message = message
        self.line = line
        self.field = field
        self.file = file
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let line { parts.append("line \(line)") }
        if let field { parts.append("field \(field)") }
        let prefix = parts.isEmpty ? "" : parts.joined(separator: ", ") + ": "
        return "\(prefix)\(message) [\(code)]"
    }

    /// The same error, naming the file it came from.
    public func inFile(_ path: String) -> IngestError {
        var copy = self
        copy.file = path
        return copy
    }
}
