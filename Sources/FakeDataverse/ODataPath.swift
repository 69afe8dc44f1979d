import Foundation

/// Splits a resource path into segments and segments into a name and a key predicate.
enum ODataPath {
    /// `rapport_events(rapport_sourceid='a/b')/x` → two segments: a `/` inside quotes does not split.
    /// Each segment is percent-decoded after splitting.
    static func segments(_ raw: Substring) -> [String] {
        var segments: [String] = []
        var current = ""
        var quoted = false
        for character in raw {
            if character == "'" { quoted.toggle() }
            if character == "/", !quoted {
                segments.append(decode(current))
                current = ""
            } else {
                current.append(character)
            }
        }
        segments.append(decode(current))
        return segments.filter { !$0.isEmpty }
    }

    static func decode(_ text: String) -> String {
        text.removingPercentEncoding ?? text
    }

    /// `name(predicate)` → (`name`, `predicate`); `name` → (`name`, nil).
    static func split(_ segment: String) -> (name: String, predicate: String?) {
        guard let open = segment.firstIndex(of: "("), segment.hasSuffix(")") else { return (segment, nil) }
        let name = String(segment[..<open])
        let predicate = String(segment[segment.index(after: open)..<segment.index(before: segment.endIndex)])
        return (name, predicate)
    }
}

/// One literal of a key predicate or `$filter`: quoted (`'O''Brien'` → `O'Brien`) or bare (`1`, a GUID, `2026-01-01`).
enum ODataLiteral: Equatable, Sendable {
    case quoted(String)
    case bare(String)

    var text: String {
        switch self {
        case .quoted(let text), .bare(let text): text
        }
    }

    /// Written back for a URL: strings quoted with `''` escaping.
    var rendered: String {
        switch self {
        case .quoted(let text): "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        case .bare(let text): text
        }
    }
}

/// A key predicate: `(guid)`, `(name='v')` or `(k1='v',k2=1)`.
struct KeyPredicate: Equatable {
    var parts: [(name: String?, literal: ODataLiteral)]

    static func == (a: KeyPredicate, b: KeyPredicate) -> Bool {
        a.parts.count == b.parts.count && zip(a.parts, b.parts).allSatisfy { $0.name == $1.name && $0.literal == $1.literal }
    }

    /// Parses the text between the parentheses; nil when malformed.
    static func parse(_ text: String) -> KeyPredicate? {
        var parts: [(name: String?, literal: ODataLiteral)] = []
        let characters = Array(text)
        var index = 0
        func skipSpaces() { while index < characters.count, characters[index] == " " { index += 1 } }
        while index < characters.count {
            skipSpaces()
            // A name, if a `=` comes before any quote or comma.
            var name: String?
            var probe = index
            while probe < characters.count, characters[probe] != "=", characters[probe] != "'", characters[probe] != "," { probe += 1 }
            if probe < characters.count, characters[probe] == "=" {
                name = String(characters[index..<probe]).trimmingCharacters(in: .whitespaces)
                guard let name, !name.isEmpty else { return nil }
                index = probe + 1
                skipSpaces()
            }
            guard index < characters.count else { return nil }
            let literal: ODataLiteral
            if characters[index] == "'" {
                var value = ""
                index += 1
                var closed = false
                while index < characters.count {
                    if characters[index] == "'" {
                        if index + 1 < characters.count, characters[index + 1] == "'" {
                            value.append("'")
                            index += 2
                            continue
                        }
                        index += 1
                        closed = true
                        break
                    }
                    value.append(characters[index])
                    index += 1
                }
                guard closed else { return nil }
                literal = .quoted(value)
            } else {
                let start = index
                while index < characters.count, characters[index] != "," { index += 1 }
                let value = String(characters[start..<index]).trimmingCharacters(in: .whitespaces)
                guard !value.isEmpty else { return nil }
                literal = .bare(value)
            }
            parts.append((name, literal))
            skipSpaces()
            if index < characters.count {
                guard characters[index] == "," else { return nil }
                index += 1
                guard index < characters.count else { return nil }
            }
        }
        guard !parts.isEmpty else { return nil }
        // Either one unnamed value or only named ones.
        if parts.count > 1, parts.contains(where: { $0.name == nil }) { return nil }
        return KeyPredicate(parts: parts)
    }

    /// Written back for `OData-EntityId`.
    var rendered: String {
        parts.map { part in (part.name.map { $0 + "=" } ?? "") + part.literal.rendered }.joined(separator: ",")
    }
}
