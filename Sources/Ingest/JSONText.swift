import Foundation

/// A JSON value with ordered object members, written compactly or indented, always the same bytes for the same value.
public indirect enum JSONText: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    /// A number written with exactly `places` decimals (a Dataverse decimal column's precision).
    case decimal(Double, places: Int)
    case string(String)
    case array([JSONText])
    case object([(String, JSONText)])

    public static func == (lhs: JSONText, rhs: JSONText) -> Bool {
        lhs.bytes(indent: false) == rhs.bytes(indent: false)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(bytes(indent: false))
    }

    /// The UTF-8 text; `indent` puts each member on its own line (two spaces per level).
    public func bytes(indent: Bool) -> [UInt8] {
        var out: [UInt8] = []
        write(to: &out, indent: indent ? 0 : nil)
        if indent { out.append(0x0A) }
        return out
    }

    func write(to out: inout [UInt8], indent: Int?) {
        switch self {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .int(let i): out += Array(String(i).utf8)
        case .double(let d):
            // Fixed precision: the same bytes on every platform.
            out += Array(String(format: "%.4f", d).utf8)
        case .decimal(let d, let places):
            out += Array(String(format: "%.\(places)f", d).utf8)
        case .string(let s): Self.quote(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (k, item) in items.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, indent.map { $0 + 1 })
                item.write(to: &out, indent: indent.map { $0 + 1 })
            }
            if !items.isEmpty { Self.newline(&out, indent) }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (k, (key, value)) in members.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, indent.map { $0 + 1 })
                Self.quote(key, to: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(0x20) }
                value.write(to: &out, indent: indent.map { $0 + 1 })
            }
            if !members.isEmpty { Self.newline(&out, indent) }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func newline(_ out: inout [UInt8], _ indent: Int?) {
        guard let indent else { return }
        out.append(0x0A)
        out += [UInt8](repeating: 0x20, count: indent * 2)
    }

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    static func quote(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(0x5C); out.append(b)
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0..<0x20:
                out += Array("\\u00".utf8)
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 15)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension JSONText: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
