/// One iCalendar content line: `NAME;PARAM=a,"b;c":value`.
public struct ICalProperty: Sendable, Hashable {
    /// Upper-case property name.
    public var name: String
    /// Parameters by upper-case name; each may hold several values. Quotes are removed.
    public var parameters: [String: [String]]
    /// The raw value, unescaped only where a caller asks (`textValue`).
    public var value: String

    public init(name: String, parameters: [String: [String]] = [:], value: String) {
        self.name = name
        self.parameters = parameters
        self.value = value
    }

    /// The first value of a parameter.
    public func parameter(_ name: String) -> String? {
        parameters[name]?.first
    }

    /// The value with TEXT escapes (`\\n`, `\\,`, `\\;`, `\\\\`) resolved.
    public var textValue: String {
        guard value.contains("\\") else { return value }
        var out = ""
        var escaped = false
        for c in value {
            if escaped {
                switch c {
                case "n", "N": out.append("\n")
                default: out.append(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// Parses one unfolded content line; nil when it has no name or no `:`.
    public static func parse(_ line: Substring) -> ICalProperty? {
        let u = Array(line.utf8)
        var i = 0
        while i < u.count, u[i] != UInt8(ascii: ";"), u[i] != UInt8(ascii: ":") { i += 1 }
        guard i < u.count, i > 0 else { return nil }
        let name = String(decoding: u[0..<i], as: UTF8.self).trimmingSpaces().uppercased()
        guard !name.isEmpty else { return nil }
        var params: [String: [String]] = [:]
        while i < u.count, u[i] == UInt8(ascii: ";") {
            i += 1
            let nameStart = i
            while i < u.count, u[i] != UInt8(ascii: "="), u[i] != UInt8(ascii: ";"), u[i] != UInt8(ascii: ":") { i += 1 }
            let pname = String(decoding: u[nameStart..<i], as: UTF8.self).trimmingSpaces().uppercased()
            var values: [String] = []
            if i < u.count, u[i] == UInt8(ascii: "=") {
                i += 1
                while true {
                    if i < u.count, u[i] == UInt8(ascii: "\"") {
                        let vs = i + 1
                        var j = vs
                        while j < u.count, u[j] != UInt8(ascii: "\"") { j += 1 }
                        values.append(caretDecode(u[vs..<min(j, u.count)]))
                        i = min(j + 1, u.count)
                        // Anything up to the next separator after a closing quote is dropped.
                        while i < u.count, u[i] != UInt8(ascii: ","), u[i] != UInt8(ascii: ";"), u[i] != UInt8(ascii: ":") { i += 1 }
                    } else {
                        let vs = i
                        while i < u.count, u[i] != UInt8(ascii: ","), u[i] != UInt8(ascii: ";"), u[i] != UInt8(ascii: ":") { i += 1 }
                        values.append(caretDecode(u[vs..<i]))
                    }
                    if i < u.count, u[i] == UInt8(ascii: ",") { i += 1; continue }
                    break
                }
            }
            if !pname.isEmpty { params[pname, default: []].append(contentsOf: values) }
        }
        guard i < u.count, u[i] == UInt8(ascii: ":") else { return nil }
        let value = String(decoding: u[(i + 1)...], as: UTF8.self)
        return ICalProperty(name: name, parameters: params, value: value)
    }

    /// RFC 6868 parameter value escapes: ^n, ^', ^^.
    static func caretDecode(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(UInt8(ascii: "^")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == UInt8(ascii: "^"), i + 1 < bytes.endIndex {
                switch bytes[i + 1] {
                case UInt8(ascii: "n"): out.append(0x0A); i += 2; continue
                case UInt8(ascii: "'"): out.append(UInt8(ascii: "\"")); i += 2; continue
                case UInt8(ascii: "^"): out.append(UInt8(ascii: "^")); i += 2; continue
                default: break
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
