import Engagement
import Foundation

extension SegmentExpression {
    /// The expression as text that parses back to it: canonical names, parentheses only where needed.
    var canonicalText: String { canonical(level: 0) }

    /// `level`: 0 where OR may stand bare, 1 where AND may, 2 where only NOT or a comparison may.
    private func canonical(level: Int) -> String {
        switch self {
        case .or(let left, let right):
            let text = left.canonical(level: 0) + " OR " + right.canonical(level: 1)
            return level > 0 ? "(\(text))" : text
        case .and(let left, let right):
            let text = left.canonical(level: 1) + " AND " + right.canonical(level: 2)
            return level > 1 ? "(\(text))" : text
        case .not(let inner):
            return "NOT " + inner.canonical(level: 2)
        case .isNull(let column, let negated):
            return "\(column.rawValue) IS \(negated ? "NOT " : "")NULL"
        case .comparison(let column, let comparison, let value):
            return "\(column.rawValue) \(comparison.rawValue) \(value.canonicalText)"
        }
    }

    /// Traps unless every limit the parser promises holds in the whole tree.
    func checkLimits(notDepth: Int = 0) {
        switch self {
        case .and(let left, let right), .or(let left, let right):
            left.checkLimits(notDepth: notDepth)
            right.checkLimits(notDepth: notDepth)
        case .not(let inner):
            guard notDepth < Self.maximumDepth else { fatalError("NOT nested deeper than \(Self.maximumDepth)") }
            inner.checkLimits(notDepth: notDepth + 1)
        case .isNull:
            break
        case .comparison(let column, let comparison, let value):
            value.checkLimits()
            switch (column.kind, value) {
            case (.number, .number), (.date, .date), (.date, .relativeDate), (.text, .text): break
            default: fatalError("\(column) compared with \(value)")
            }
            if column == .domain, comparison != .equal, comparison != .notEqual { fatalError("Domain \(comparison.rawValue)") }
        }
    }
}

extension SegmentValue {
    var canonicalText: String {
        switch self {
        case .number(let number):
            return (number.sign == .minus ? "-" : "") + Self.plainDecimal(number.magnitude)
        case .text(let text):
            return "'" + text.map { $0 == "'" ? "''" : String($0) }.joined() + "'"
        case .date(let year, let month, let day):
            return String(format: "'%04d-%02d-%02d'", year, month, day)
        case .relativeDate(let days, let months):
            if days != 0 { return "today \(days < 0 ? "-" : "+") \(days.magnitude) days" }
            if months != 0 { return "today \(months < 0 ? "-" : "+") \(months.magnitude) months" }
            return "today"
        }
    }

    func checkLimits() {
        switch self {
        case .number(let number):
            guard number.isFinite, number.magnitude <= SegmentExpression.maximumNumber else { fatalError("number \(number)") }
        case .text(let text):
            guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                fatalError("control character in \(text.debugDescription)")
            }
        case .date(let year, let month, let day):
            // Proleptic Gregorian (Foundation's calendar switches to Julian before 1582).
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            guard SegmentExpression.dateYears.contains(year), (1...12).contains(month), (1...days[month - 1]).contains(day) else {
                fatalError("date \(year)-\(month)-\(day)")
            }
        case .relativeDate(let days, let months):
            guard days.magnitude <= SegmentExpression.maximumRelativeDays, months.magnitude <= SegmentExpression.maximumRelativeDays / 30,
                days == 0 || months == 0
            else { fatalError("today + \(days) days + \(months) months") }
        }
    }

    /// `x` (finite, not negative) in digits and at most one point, as the parser reads numbers: no exponent.
    static func plainDecimal(_ x: Double) -> String {
        let shortest = "\(x)"
        guard let e = shortest.firstIndex(where: { $0 == "e" || $0 == "E" }), let exponent = Int(shortest[shortest.index(after: e)...]) else {
            return shortest
        }
        let mantissa = shortest[..<e]
        let digits = mantissa.filter { $0 != "." }
        let point = (mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count) + exponent
        if point <= 0 { return "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count { return digits + String(repeating: "0", count: point - digits.count) }
        return digits.prefix(point) + "." + digits.dropFirst(point)
    }
}
