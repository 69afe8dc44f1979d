/// RFC 2047 encoded words (`=?charset?B|Q?text?=`) in header text.
///
/// Whitespace between two adjacent encoded words is dropped, as the RFC
/// says; an encoded word that does not decode is left as written.
public enum EncodedWords {
    /// Decodes every encoded word in raw header bytes; the rest is read as UTF-8 (RFC 6532).
    public static func decode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        guard input.count >= 8, containsMarker(input) else {
            return String(decoding: input, as: UTF8.self)
        }
        var result = ""
        var i = 0
        var lastWasEncoded = false
        var plainStart = 0
        func flushPlain(_ end: Int) {
            if plainStart < end { result += String(decoding: input[plainStart..<end], as: UTF8.self) }
        }
        while i < input.count {
            if input[i] == UInt8(ascii: "="), i + 1 < input.count, input[i + 1] == UInt8(ascii: "?"),
               let (text, next) = decodeWord(input, at: i) {
                // Whitespace between two encoded words is dropped.
                if lastWasEncoded && isAllSpace(input, plainStart, i) {
                    // skip it
                } else {
                    flushPlain(i)
                }
                result += text
                i = next
                plainStart = i
                lastWasEncoded = true
                continue
            }
            if !(input[i] == 0x20 || input[i] == 0x09 || input[i] == 0x0A || input[i] == 0x0D) {
                lastWasEncoded = false
            }
            i += 1
        }
        flushPlain(input.count)
        return result
    }

    private static func containsMarker(_ input: [UInt8]) -> Bool {
        var i = 0
        while i + 1 < input.count {
            if input[i] == UInt8(ascii: "="), input[i + 1] == UInt8(ascii: "?") { return true }
            i += 1
        }
        return false
    }

    private static func isAllSpace(_ input: [UInt8], _ from: Int, _ to: Int) -> Bool {
        var j = from
        while j < to {
            let b = input[j]
            if !(b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D) { return false }
            j += 1
        }
        return true
    }

    /// Decodes the encoded word starting at `start` ("=?"); returns the text and the index after "?=".
    static func decodeWord(_ input: [UInt8], at start: Int) -> (String, Int)? {
        let q = UInt8(ascii: "?")
        var i = start + 2
        let charsetStart = i
        while i < input.count, input[i] != q {
            if input[i] <= 0x20 || i - charsetStart > 40 { return nil }
            i += 1
        }
        guard i + 2 < input.count, input[i + 2] == q else { return nil }
        let charset = String(decoding: input[charsetStart..<i], as: UTF8.self)
        let encoding = input[i + 1] | 0x20
        i += 3
        let textStart = i
        while i + 1 < input.count, !(input[i] == q && input[i + 1] == UInt8(ascii: "=")) {
            // RFC 2047 words are at most 75 characters; a generous cap keeps hostile input linear.
            if input[i] == 0x20 || input[i] == 0x09 || input[i] == 0x0A || input[i] == 0x0D || i - textStart > 1000 { return nil }
            i += 1
        }
        guard i + 1 < input.count else { return nil }
        let text = input[textStart..<i]
        let raw: [UInt8]?
        switch encoding {
        case UInt8(ascii: "b"): raw = base64(text)
        case UInt8(ascii: "q"): raw = quoted(text)
        default: raw = nil
        }
        guard let raw, let decoded = CharsetDecoder.decode(raw, charset: charset) else { return nil }
        return (decoded, i + 2)
    }

    static func quoted(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var i = text.startIndex
        while i < text.endIndex {
            let b = text[i]
            if b == UInt8(ascii: "_") {
                out.append(0x20)
            } else if b == UInt8(ascii: "="), i + 2 < text.endIndex,
                      let h = hex(text[i + 1]), let l = hex(text[i + 2]) {
                out.append(h << 4 | l)
                i += 3
                continue
            } else {
                out.append(b)
            }
            i += 1
        }
        return out
    }

    static func base64(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for c in text {
            let v: UInt32
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - UInt8(ascii: "a") + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - UInt8(ascii: "0") + 52)
            case UInt8(ascii: "+"): v = 62
            case UInt8(ascii: "/"): v = 63
            case UInt8(ascii: "="): continue
            default: return nil
            }
            acc = (acc << 6) | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                acc &= (1 << UInt32(bits)) - 1
            }
        }
        return out
    }

    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
