/// Formats and parses RFC 3339 timestamps in UTC (`2024-01-05T10:00:00Z`).
public enum RFC3339 {
    /// Whole seconds since 1970 as `YYYY-MM-DDTHH:MM:SSZ`.
    public static func string(_ seconds: Int) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        append(seconds, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `YYYY-MM-DDTHH:MM:SSZ` to a byte buffer.
    public static func append(_ seconds: Int, to out: inout [UInt8]) {
        let day = RecurrenceRule.floorDiv(seconds, 86400)
        let tod = seconds - day * 86400
        let (y, m, d) = CivilTime.civil(days: day)
        func two(_ v: Int) {
            out.append(UInt8(48 + v / 10))
            out.append(UInt8(48 + v % 10))
        }
        let year = min(max(y, 0), 9999)
        out.append(UInt8(48 + year / 1000))
        out.append(UInt8(48 + year / 100 % 10))
        two(year % 100)
        out.append(UInt8(ascii: "-"))
        two(m)
        out.append(UInt8(ascii: "-"))
        two(d)
        out.append(UInt8(ascii: "T"))
        two(tod / 3600)
        out.append(UInt8(ascii: ":"))
        two(tod % 3600 / 60)
        out.append(UInt8(ascii: ":"))
        two(tod % 60)
        out.append(UInt8(ascii: "Z"))
    }

    /// Parses RFC 3339 / ISO 8601 date-times as Graph and NDJSON producers write them.
    ///
    /// `2024-01-05T10:00:00Z`, with fractional seconds (dropped), a numeric
    /// offset, or no zone at all (read as UTC, as Graph means it). A bare
    /// date `2024-01-05` is midnight UTC. Returns whole seconds since 1970.
    public static func parse(_ s: some StringProtocol) -> Int? {
        if let r = s.utf8.withContiguousStorageIfAvailable({ parse(bytes: $0) }) { return r }
        let copy = Array(s.utf8)
        return copy.withUnsafeBufferPointer { parse(bytes: $0) }
    }

    static func parse(bytes u: UnsafeBufferPointer<UInt8>) -> Int? {
        func num(_ at: Int, _ n: Int) -> Int? {
            guard at >= 0, at + n <= u.count else { return nil }
            var v = 0
            for k in at..<(at + n) {
                let c = u[k]
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            return v
        }
        guard u.count >= 10, let y = num(0, 4), u[4] == UInt8(ascii: "-"), let mo = num(5, 2),
              u[7] == UInt8(ascii: "-"), let d = num(8, 2), mo >= 1, mo <= 12, d >= 1,
              d <= CivilTime.daysInMonth(year: y, month: mo)
        else { return nil }
        let day = CivilTime.days(year: y, month: mo, day: d)
        if u.count == 10 { return day * 86400 }
        guard u.count >= 16, u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: "t") || u[10] == 0x20,
              let h = num(11, 2), u[13] == UInt8(ascii: ":"), let mi = num(14, 2), h <= 23, mi <= 59
        else { return nil }
        var i = 16
        var sec = 0
        if i < u.count, u[i] == UInt8(ascii: ":") {
            guard let s = num(17, 2), s <= 60 else { return nil }
            sec = min(s, 59)
            i = 19
            if i < u.count, u[i] == UInt8(ascii: ".") {
                i += 1
                let fs = i
                while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { i += 1 }
                guard i > fs else { return nil }
            }
        }
        var offset = 0
        if i < u.count {
            switch u[i] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                i += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard let oh = num(i + 1, 2), oh <= 23 else { return nil }
                var j = i + 3
                if j < u.count, u[j] == UInt8(ascii: ":") { j += 1 }
                guard let om = num(j, 2), om <= 59 else { return nil }
                offset = (oh * 3600 + om * 60) * (u[i] == UInt8(ascii: "-") ? -1 : 1)
                i = j + 2
            default:
                return nil
            }
        }
        guard i == u.count else { return nil }
        return day * 86400 + h * 3600 + mi * 60 + sec - offset
    }
}
