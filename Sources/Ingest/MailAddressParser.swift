/// Parses RFC 5322 address lists (with the obsolete syntax of its section 4) from raw header bytes.
///
/// Handles display names, quoted strings, nested comments, old-style
/// `addr (Name)`, routes `<@a,@b:u@h>`, domain literals and groups
/// (`undisclosed-recipients:;`, `team: a@x, b@y;`). A malformed entry (no `@`,
/// an empty local part or domain, unbalanced brackets) is skipped and the
/// rest of the list kept. Addresses are lowercased.
public enum MailAddressParser {
    enum Token: Equatable {
        case atom(ArraySlice<UInt8>)
        case quoted([UInt8])
        case comment([UInt8])
        case literal([UInt8])
        case special(UInt8)
    }

    /// Parses a list; `withNames: false` skips decoding display names (the pipeline needs addresses only).
    public static func parse(_ bytes: some Collection<UInt8>, withNames: Bool = true) -> [MailAddress] {
        let tokens = tokenize(Array(bytes))
        var result: [MailAddress] = []
        var entry: [Token] = []
        var inAngle = false
        func finish() {
            if let address = mailbox(entry, withNames: withNames) { result.append(address) }
            entry.removeAll(keepingCapacity: true)
        }
        var afterClose = false
        for (index, token) in tokens.enumerated() {
            // A missing comma: `A <a@x> B <b@x>` is two mailboxes.
            if afterClose {
                afterClose = false
                switch token {
                case .comment, .special(UInt8(ascii: ",")), .special(UInt8(ascii: ";")): break
                default: finish()
                }
            }
            switch token {
            case .special(UInt8(ascii: ",")) where inAngle
                && (index + 1 == tokens.count || tokens[index + 1] != .special(UInt8(ascii: "@"))):
                // An unclosed '<': only a route continues with ",@".
                inAngle = false
                finish()
            case .special(UInt8(ascii: "<")):
                inAngle = true
                entry.append(token)
            case .special(UInt8(ascii: ">")):
                inAngle = false
                entry.append(token)
                afterClose = true
            case .special(UInt8(ascii: ",")) where !inAngle:
                finish()
            case .special(UInt8(ascii: ";")):
                inAngle = false
                finish()
            case .special(UInt8(ascii: ":")) where !inAngle:
                // A group's display name ends here; what follows are its members.
                if entry.contains(where: { $0 == .special(UInt8(ascii: "@")) }) {
                    entry.append(token)  // malformed; the entry will be dropped
                } else {
                    entry.removeAll(keepingCapacity: true)
                }
            default:
                entry.append(token)
            }
        }
        finish()
        return result
    }

    /// Parses one mailbox (`name-addr` or `addr-spec`), nil when it is malformed.
    static func mailbox(_ tokens: [Token], withNames: Bool = true) -> MailAddress? {
        guard !tokens.isEmpty else { return nil }
        if let open = tokens.firstIndex(of: .special(UInt8(ascii: "<"))) {
            let close = tokens[open...].firstIndex(of: .special(UInt8(ascii: ">"))) ?? tokens.endIndex
            var inner = Array(tokens[(open + 1)..<close])
            // Obsolete route: drop everything up to the last ':'.
            if let colon = inner.lastIndex(of: .special(UInt8(ascii: ":"))) {
                inner = Array(inner[(colon + 1)...])
            }
            guard let address = addrSpec(inner) else { return nil }
            // Anything after '>' other than comments makes the entry malformed.
            if close < tokens.endIndex {
                for t in tokens[(close + 1)...] {
                    if case .comment = t { continue }
                    return nil
                }
            }
            return MailAddress(address: address, displayName: withNames ? phrase(tokens[..<open]) : nil)
        }
        guard let address = addrSpec(tokens) else { return nil }
        var name: String?
        for case .comment(let c) in tokens where withNames {
            let decoded = EncodedWords.decode(c).trimmingSpaces()
            if !decoded.isEmpty { name = decoded }
        }
        return MailAddress(address: address, displayName: name)
    }

    static func phrase(_ tokens: ArraySlice<Token>) -> String? {
        var words: [String] = []
        for t in tokens {
            switch t {
            case .atom(let a): words.append(EncodedWords.decode(a))
            case .quoted(let q): words.append(EncodedWords.decode(q))
            case .special(let s) where s == UInt8(ascii: "."): words.append(".")
            default: continue
            }
        }
        let name = words.joined(separator: " ").trimmingSpaces()
        return name.isEmpty ? nil : name
    }

    /// Builds a lowercase `local@domain` from tokens; nil unless exactly one `@` with text on each side.
    static func addrSpec(_ tokens: [Token]) -> String? {
        var local: [UInt8] = []
        var domain: [UInt8] = []
        var seenAt = false
        var localNeedsQuotes = false
        var lastWasWord = false
        for t in tokens {
            switch t {
            case .comment:
                continue
            case .atom(let a):
                if lastWasWord { return nil }  // two words without a dot: a phrase, not an address
                if seenAt { domain += a } else { local += a }
                lastWasWord = true
            case .quoted(let q):
                if seenAt || lastWasWord { return nil }
                if q.contains(where: { !isAtext($0) && $0 != UInt8(ascii: ".") }) || q.isEmpty { localNeedsQuotes = true }
                local += q
                lastWasWord = true
            case .literal(let l):
                guard seenAt, domain.isEmpty else { return nil }
                domain = [UInt8(ascii: "[")] + l + [UInt8(ascii: "]")]
                lastWasWord = true
            case .special(let s):
                switch s {
                case UInt8(ascii: "@"):
                    if seenAt { return nil }
                    seenAt = true
                    lastWasWord = false
                case UInt8(ascii: "."):
                    if seenAt { domain.append(s) } else { local.append(s) }
                    lastWasWord = false
                default:
                    return nil
                }
            }
        }
        guard seenAt, !local.isEmpty, !domain.isEmpty,
              domain.first != UInt8(ascii: "."), domain.last != UInt8(ascii: ".")
        else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(local.count + domain.count + 3)
        if localNeedsQuotes {
            out.append(UInt8(ascii: "\""))
            for b in local {
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
                out.append(b)
            }
            out.append(UInt8(ascii: "\""))
        } else {
            out += local
        }
        out.append(UInt8(ascii: "@"))
        out += domain
        var ascii = true
        for i in out.indices {
            let b = out[i]
            if b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") { out[i] = b | 0x20 } else if b >= 0x80 { ascii = false }
        }
        let text = String(decoding: out, as: UTF8.self)
        return ascii ? text : text.lowercased()
    }

    static func isAtext(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), 0x80...0xFF:
            return true
        default:
            return "!#$%&'*+-/=?^_`{|}~".utf8.contains(b)
        }
    }

    static func tokenize(_ s: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        let n = s.count
        while i < n {
            let b = s[i]
            switch b {
            case 0x20, 0x09, 0x0A, 0x0D:
                i += 1
            case UInt8(ascii: "\""):
                var q: [UInt8] = []
                i += 1
                while i < n, s[i] != UInt8(ascii: "\"") {
                    if s[i] == UInt8(ascii: "\\"), i + 1 < n { i += 1 }
                    if s[i] != 0x0D && s[i] != 0x0A { q.append(s[i]) }
                    i += 1
                }
                i += 1
                tokens.append(.quoted(q))
            case UInt8(ascii: "("):
                var depth = 1
                var c: [UInt8] = []
                i += 1
                while i < n {
                    let x = s[i]
                    if x == UInt8(ascii: "\\"), i + 1 < n {
                        c.append(s[i + 1])
                        i += 2
                        continue
                    }
                    if x == UInt8(ascii: "(") { depth += 1 }
                    if x == UInt8(ascii: ")") {
                        depth -= 1
                        if depth == 0 { i += 1; break }
                    }
                    c.append(x)
                    i += 1
                }
                tokens.append(.comment(c))
            case UInt8(ascii: "["):
                var l: [UInt8] = []
                i += 1
                while i < n, s[i] != UInt8(ascii: "]") {
                    if s[i] == UInt8(ascii: "\\"), i + 1 < n { i += 1 }
                    if s[i] > 0x20 { l.append(s[i]) }
                    i += 1
                }
                i += 1
                tokens.append(.literal(l))
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "@"), UInt8(ascii: ","),
                 UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "\\"),
                 UInt8(ascii: ")"), UInt8(ascii: "]"):
                tokens.append(.special(b))
                i += 1
            default:
                let start = i
                while i < n, isAtext(s[i]) { i += 1 }
                if i == start {
                    tokens.append(.special(b))  // a control byte or other stray: makes its entry malformed
                    i += 1
                } else {
                    tokens.append(.atom(s[start..<i]))
                }
            }
        }
        return tokens
    }
}

extension String {
    func trimmingSpaces() -> String {
        if let f = utf8.first, let l = utf8.last, f > 0x20, l > 0x20 { return self }
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s.removeLast() }
        return String(s)
    }
}
