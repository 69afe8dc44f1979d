import Foundation

/// A parsed segment condition over the enriched columns, e.g.
/// `DaysSinceLastEmail > 60 AND DaysSinceLastMeeting > 60`.
public indirect enum SegmentExpression: Sendable, Equatable {
    case and(SegmentExpression, SegmentExpression)
    case or(SegmentExpression, SegmentExpression)
    case not(SegmentExpression)
    case comparison(SegmentColumn, ComparisonOperator, SegmentValue)
    case isNull(SegmentColumn, negated: Bool)

    public enum ComparisonOperator: String, Sendable, Equatable {
        case equal = "="
        case notEqual = "<>"
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
    }

    /// The longest expression accepted, in characters.
    public static let maximumLength = 2000
    /// The deepest nesting of parentheses and NOT accepted.
    public static let maximumDepth = 32
    /// The largest magnitude of a number literal.
    public static let maximumNumber = 1e15
    /// The furthest `today ± N` may reach, in days (about a hundred years; weeks and months likewise).
    public static let maximumRelativeDays = 36_600
    /// The years a date literal may name.
    public static let dateYears = 1000...9999

    /// Parses an expression; a `SegmentSyntaxError` names what is wrong and where (0-based offset).
    ///
    /// Every limit above is checked here, so nothing derived from the text can
    /// overflow, trap or recurse without bound further on.
    public static func parse(_ text: String) throws(SegmentSyntaxError) -> SegmentExpression {
        if text.count > maximumLength {
            throw SegmentSyntaxError("the expression is longer than \(maximumLength) characters", at: maximumLength)
        }
        var parser = SegmentParser(text)
        return try parser.parseAll()
    }
}

/// A literal on the right of a comparison.
public enum SegmentValue: Sendable, Equatable {
    case number(Double)
    case text(String)
    case date(year: Int, month: Int, day: Int)
    /// `today`, plus or minus a number of days (weeks and months are converted by the compiler's calendar).
    case relativeDate(days: Int, months: Int)
}

/// What went wrong in a segment expression, and where.
public struct SegmentSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// 0-based character offset in the expression.
    public var position: Int

    public init(_ message: String, at position: Int) {
        self.message = message
        self.position = position
    }

    public var description: String { "\(message) at position \(position + 1)" }
}
