/// Extracts message ids (`<id@host>`) from Message-ID, In-Reply-To and References values.
///
/// Ids are returned without angle brackets and without folding whitespace.
/// A value with no angle brackets at all is split on whitespace and commas,
/// and each word with an `@` counts as an id (many old clients write that).
public enum MessageIDParser {
    public static func parse(_ bytes: some Collection<UInt8>) -> [String] {
        let s = Array(bytes)
        var ids: [String] = []
        var i = 0
        var sawAngle = false
        var depth = 0
        while i < s.count {
            let b = s[i]
            if b == UInt8(ascii: "(") { depth += 1; i += 1; continue }
            if b == UInt8(ascii: ")") { if depth > 0 { depth -= 1 }; i += 1; continue }
            if depth > 0 { i += 1; continue }
            if b == UInt8(ascii: "<") {
                sawAngle = true
                var id: [UInt8] = []
                var j = i + 1
                while j < s.count, s[j] != UInt8(ascii: ">"), s[j] != UInt8(ascii: "<") {
                    if s[j] > 0x20 { id.append(s[j]) }
                    j += 1
                }
                if j < s.count, s[j] == UInt8(ascii: ">"), !id.isEmpty {
                    ids.append(String(decoding: id, as: UTF8.self))
                    i = j + 1
                } else {
                    i = j
                }
                continue
            }
            i += 1
        }
        if sawAngle { return ids }
        for word in s.split(whereSeparator: { $0 <= 0x20 || $0 == UInt8(ascii: ",") }) where word.contains(UInt8(ascii: "@")) {
            ids.append(String(decoding: word, as: UTF8.self))
        }
        return ids
    }
}
