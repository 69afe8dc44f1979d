import Foundation

/// Parses RFC 5322 dates, with the obsolete forms of its section 4.3.
///
/// Accepts an optional day name, 2- and 3-digit years (`< 50` → 20xx, else
/// 19xx; 3 digits + 1900), named zones (UT, GMT, UTC, EST/EDT, CST/CDT,
/// MST/MDT, PST/PDT), military letters and unknown zones as `-0000` (UTC, as
/// RFC 5322 says), comments anywhere, missing seconds, and the asctime order
/// `Fri May  4 14:05:44 2001`. Returns nil for anything it cannot place in time.
public enum MailDateParser {
    public static func parse(_ bytes: some Collection<UInt8>) -> Date? {
        // No real date is longer; the cap keeps hostile input cheap.
        guard let s = parseSeconds(Array(bytes.prefix(1000))) else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(s))
    }

    static let months: [String: Int] = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
        "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    ]
    static let zones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0,
        "est": -5 * 3600, "edt": -4 * 3600, "cst": -6 * 3600, "cdt": -5 * 3600,
        "mst": -7 * 3600, "mdt": -6 * 3600, "pst": -8 * 3600, "pdt": -7 * 3600,
    ]
    static let dayNames: Set<String> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// Seconds since 1970 UTC, or nil.
    static func parseSeconds(_ input: [UInt8]) -> Int? {
        if let fast = parseCanonical(input) { return fast }
        return parseGeneral(input)
    }

    /// The form nearly every mailer writes: `[Www, ]d[d] Mmm yyyy hh:mm:ss +hhmm`, parsed without allocating.
    static func parseCanonical(_ u: [UInt8]) -> Int? {
        var i = 0
        let n = u.count
        func skipSpaces() { while i < n, u[i] == 0x20 || u[i] == 0x09 { i += 1 } }
        func digits(_ maxCount: Int) -> (Int, Int)? {
            var v = 0, k = 0
            while i < n, k < maxCount, u[i] >= 0x30, u[i] <= 0x39 { v = v * 10 + Int(u[i] - 0x30); i += 1; k += 1 }
            return k == 0 ? nil : (v, k)
        }
        func letter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
        skipSpaces()
        if i + 4 <= n, letter(u[i]), letter(u[i + 1]), letter(u[i + 2]), u[i + 3] == UInt8(ascii: ",") {
            i += 4
            skipSpaces()
        }
        guard let (day, _) = digits(2), i < n, u[i] == 0x20 else { return nil }
        skipSpaces()
        guard i + 3 < n, letter(u[i]), letter(u[i + 1]), letter(u[i + 2]), u[i + 3] == 0x20 else { return nil }
        let key = (UInt32(u[i] | 0x20) << 16) | (UInt32(u[i + 1] | 0x20) << 8) | UInt32(u[i + 2] | 0x20)
        guard let month = monthKeys[key] else { return nil }
        i += 3
        skipSpaces()
        guard let (year, yd) = digits(4), yd == 4, i < n, u[i] == 0x20 else { return nil }
        skipSpaces()
        guard let (h, hd) = digits(2), hd == 2, i < n, u[i] == UInt8(ascii: ":"),
              case _ = (i += 1), let (mi, md) = digits(2), md == 2, i < n, u[i] == UInt8(ascii: ":"),
              case _ = (i += 1), let (sec, sd) = digits(2), sd == 2, i < n, u[i] == 0x20
        else { return nil }
        skipSpaces()
        guard i + 5 <= n, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") else { return nil }
        let sign = u[i] == UInt8(ascii: "-") ? -1 : 1
        i += 1
        guard let (z, zd) = digits(4), zd == 4 else { return nil }
        // Only a comment (or nothing) may follow.
        skipSpaces()
        guard i == n || u[i] == UInt8(ascii: "(") || u[i] == 0x0D || u[i] == 0x0A else { return nil }
        guard month >= 1, day >= 1, day <= CivilTime.daysInMonth(year: year, month: month),
              h <= 23, mi <= 59, sec <= 60, z / 100 <= 23, z % 100 <= 59
        else { return nil }
        return CivilTime.seconds(year: year, month: month, day: day, hour: h, minute: mi, second: min(sec, 59))
            - sign * ((z / 100) * 3600 + (z % 100) * 60)
    }

    static let monthKeys: [UInt32: Int] = {
        var m: [UInt32: Int] = [:]
        for (name, v) in months {
            let u = Array(name.utf8)
            m[(UInt32(u[0]) << 16) | (UInt32(u[1]) << 8) | UInt32(u[2])] = v
        }
        return m
    }()

    static func parseGeneral(_ input: [UInt8]) -> Int? {
        // Words, with comments removed and spaces around ':' closed up.
        var words: [String] = []
        var current: [UInt8] = []
        var depth = 0
        func flush() {
            if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self).lowercased()) }
            current.removeAll(keepingCapacity: true)
        }
        for b in input {
            if b == UInt8(ascii: "(") { depth += 1; flush(); continue }
            if b == UInt8(ascii: ")") { if depth > 0 { depth -= 1 }; continue }
            if depth > 0 { continue }
            switch b {
            case 0x20, 0x09, 0x0D, 0x0A, UInt8(ascii: ","):
                flush()
            default:
                current.append(b)
            }
        }
        flush()
        // Rejoin "14 : 05 : 44" and "14: 05".
        var joined: [String] = []
        for w in words {
            if let last = joined.last, last.hasSuffix(":") || w.hasPrefix(":"), last.first?.isNumber == true {
                joined[joined.count - 1] = last + w
            } else {
                joined.append(w)
            }
        }
        words = joined
        if let first = words.first, first.count >= 3, dayNames.contains(String(first.prefix(3))),
           first.allSatisfy({ $0.isLetter || $0 == "." }) {
            words.removeFirst()
        }
        guard words.count >= 3 else { return nil }
        var day: Int, month: Int, year: Int
        var yearWord: String
        var rest: ArraySlice<String>
        if let m = monthNumber(words[0]) {
            // asctime: "May 4 14:05:44 2001" or "May 4 2001 14:05:44"
            guard let d = Int(words[1]) else { return nil }
            month = m
            day = d
            if words.count >= 4, let y = Int(words[3]), words[2].contains(":") {
                year = y
                yearWord = words[3]
                rest = [words[2]] + words[4...]
            } else if let y = Int(words[2]) {
                year = y
                yearWord = words[2]
                rest = words[3...]
            } else {
                return nil
            }
        } else {
            guard let d = Int(words[0]), let m = monthNumber(words[1]), let y = Int(words[2]) else { return nil }
            day = d
            month = m
            year = y
            yearWord = words[2]
            rest = words[3...]
        }
        let yearDigits = yearWord.filter(\.isNumber).count
        if yearDigits <= 2 && year < 100 {
            year += year < 50 ? 2000 : 1900
        } else if yearDigits == 3 {
            year += 1900
        }
        guard year >= 1000, year <= 9999, month >= 1, month <= 12,
              day >= 1, day <= CivilTime.daysInMonth(year: year, month: month)
        else { return nil }
        var hour = 0, minute = 0, second = 0
        var zone = 0
        if let time = rest.first {
            let parts = time.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 || parts.count == 3,
                  let h = Int(parts[0]), let mi = Int(parts[1]),
                  parts.count == 2 || Int(parts[2]) != nil
            else { return nil }
            hour = h
            minute = mi
            second = parts.count == 3 ? Int(parts[2])! : 0
            guard (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
            if second == 60 { second = 59 }
            rest = rest.dropFirst()
            if let z = rest.first {
                zone = zoneOffset(z) ?? 0
            }
        }
        return CivilTime.seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second) - zone
    }

    static func monthNumber(_ word: String) -> Int? {
        guard word.count >= 3, word.allSatisfy({ $0.isLetter || $0 == "." }) else { return nil }
        return months[String(word.prefix(3))]
    }

    /// The offset east of UTC in seconds; nil for an unknown zone (which counts as UTC).
    static func zoneOffset(_ z: String) -> Int? {
        if let sign = z.first, sign == "+" || sign == "-" {
            let digits = z.dropFirst().filter { $0 != ":" }
            guard digits.count == 4, let v = Int(digits) else { return nil }
            let h = v / 100, m = v % 100
            guard h <= 23, m <= 59 else { return nil }
            return (sign == "-" ? -1 : 1) * (h * 3600 + m * 60)
        }
        return zones[z]
    }
}
