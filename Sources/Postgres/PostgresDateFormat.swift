import Foundation

/// Reads and writes timestamps in the ISO text form the session is fixed to (UTC).
enum PostgresDateFormat {
    /// `2024-03-01 12:30:05.123456+00`, microsecond precision.
    static func timestamptzText(_ date: Date) -> String {
        if date == .distantFuture { return "infinity" }
        if date == .distantPast { return "-infinity" }
        let interval = date.timeIntervalSince1970
        var seconds = Int(interval.rounded(.down))
        var micros = Int(((interval - Double(seconds)) * 1_000_000).rounded())
        if micros >= 1_000_000 {
            seconds += 1
            micros -= 1_000_000
        }
        let civil = CivilDate(daysSinceEpoch: floorDiv(seconds, 86_400))
        let secondOfDay = seconds - floorDiv(seconds, 86_400) * 86_400
        var text = ""
        text.reserveCapacity(32)
        appendPadded(&text, civil.year, 4)
        text += "-"
        appendPadded(&text, civil.month, 2)
        text += "-"
        appendPadded(&text, civil.day, 2)
        text += " "
        appendPadded(&text, secondOfDay / 3600, 2)
        text += ":"
        appendPadded(&text, secondOfDay / 60 % 60, 2)
        text += ":"
        appendPadded(&text, secondOfDay % 60, 2)
        if micros > 0 {
            text += "."
            appendPadded(&text, micros, 6)
        }
        text += "+00"
        return text
    }

    /// Appends the same text as `timestamptzText` as bytes, without building a String.
    static func appendTimestamptz(_ date: Date, to buffer: inout [UInt8]) {
        let interval = date.timeIntervalSince1970
        guard date != .distantFuture, date != .distantPast, abs(interval) < 2.5e11 else {
            buffer.append(contentsOf: timestamptzText(date).utf8)
            return
        }
        var seconds = Int(interval.rounded(.down))
        var micros = Int(((interval - Double(seconds)) * 1_000_000).rounded())
        if micros >= 1_000_000 {
            seconds += 1
            micros -= 1_000_000
        }
        let days = floorDiv(seconds, 86_400)
        let civil = CivilDate(daysSinceEpoch: days)
        guard civil.year >= 1, civil.year <= 9999 else {
            buffer.append(contentsOf: timestamptzText(date).utf8)
            return
        }
        let secondOfDay = seconds - days * 86_400
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                buffer.append(UInt8(48 + rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(civil.year, 4)
        buffer.append(UInt8(ascii: "-"))
        digits(civil.month, 2)
        buffer.append(UInt8(ascii: "-"))
        digits(civil.day, 2)
        buffer.append(UInt8(ascii: " "))
        digits(secondOfDay / 3600, 2)
        buffer.append(UInt8(ascii: ":"))
        digits(secondOfDay / 60 % 60, 2)
        buffer.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2)
        if micros > 0 {
            buffer.append(UInt8(ascii: "."))
            digits(micros, 6)
        }
        buffer.append(UInt8(ascii: "+"))
        buffer.append(UInt8(ascii: "0"))
        buffer.append(UInt8(ascii: "0"))
    }

    /// Parses `YYYY-MM-DD[ HH:MM:SS[.ffffff][±HH[:MM[:SS]]]]`, and `±infinity`.
    static func parse(_ text: String) -> Date? {
        if text == "infinity" { return .distantFuture }
        if text == "-infinity" { return .distantPast }
        var utf8 = Array(text.utf8)
        // "2024-01-01 00:00:00 BC" style suffixes are rejected.
        if utf8.count < 10 { return nil }
        var position = 0
        func number(_ digits: Int) -> Int? {
            guard position + digits <= utf8.count else { return nil }
            var value = 0
            for _ in 0..<digits {
                let byte = utf8[position]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
                position += 1
            }
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard position < utf8.count, utf8[position] == byte else { return false }
            position += 1
            return true
        }
        // Years can have more than four digits; read until the dash.
        var yearDigits = 0
        while yearDigits < utf8.count, utf8[yearDigits] != UInt8(ascii: "-") { yearDigits += 1 }
        guard yearDigits >= 4, let year = number(yearDigits), expect(UInt8(ascii: "-")),
            let month = number(2), expect(UInt8(ascii: "-")), let day = number(2)
        else { return nil }
        var seconds = CivilDate(year: year, month: month, day: day).daysSinceEpoch * 86_400
        var fraction = 0.0
        if position < utf8.count {
            guard expect(UInt8(ascii: " ")) || expect(UInt8(ascii: "T")), let hour = number(2),
                expect(UInt8(ascii: ":")), let minute = number(2), expect(UInt8(ascii: ":")),
                let second = number(2)
            else { return nil }
            seconds += hour * 3600 + minute * 60 + second
            if expect(UInt8(ascii: ".")) {
                var scale = 0.1
                while position < utf8.count, utf8[position] >= 48, utf8[position] <= 57 {
                    fraction += Double(utf8[position] - 48) * scale
                    scale /= 10
                    position += 1
                }
            }
            if position < utf8.count {
                let sign: Int
                if expect(UInt8(ascii: "+")) {
                    sign = 1
                } else if expect(UInt8(ascii: "-")) {
                    sign = -1
                } else {
                    return nil
                }
                guard let offsetHours = number(2) else { return nil }
                var offset = offsetHours * 3600
                if expect(UInt8(ascii: ":")) {
                    guard let offsetMinutes = number(2) else { return nil }
                    offset += offsetMinutes * 60
                    if expect(UInt8(ascii: ":")) {
                        guard let offsetSeconds = number(2) else { return nil }
                        offset += offsetSeconds
                    }
                }
                seconds -= sign * offset
            }
            guard position == utf8.count else { return nil }
        }
        utf8.removeAll()
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    private static func appendPadded(_ text: inout String, _ value: Int, _ width: Int) {
        let digits = String(value)
        if digits.count < width { text += String(repeating: "0", count: width - digits.count) }
        text += digits
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}

/// A proleptic Gregorian calendar date, converted to and from days since 1970-01-01.
struct CivilDate {
    var year: Int
    var month: Int
    var day: Int

    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Howard Hinnant's `civil_from_days`.
    init(daysSinceEpoch: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Howard Hinnant's `days_from_civil`.
    var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
