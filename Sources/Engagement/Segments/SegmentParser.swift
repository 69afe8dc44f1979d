import Foundation

/// A recursive-descent parser of segment expressions; positions are character offsets.
struct SegmentParser {
    enum Token: Equatable {
        case word(String)
        case number(Double)
        case text(String)
        case symbol(String)
        case end
    }

    private let characters: [Character]
    private var index = 0
    private var token: Token = .end
    private var tokenStart = 0
    /// Parentheses and NOTs open around the current position.
    private var depth = 0

    init(_ text: String) {
        characters = Array(text)
    }

    mutating func parseAll() throws(SegmentSyntaxError) -> SegmentExpression {
        try advance()
        guard token != .end else { throw SegmentSyntaxError("the expression is empty", at: 0) }
        let expression = try parseOr()
        guard token == .end else { throw SegmentSyntaxError("unexpected \(describe(token)); expected AND, OR or the end", at: tokenStart) }
        return expression
    }

    private mutating func parseOr() throws(SegmentSyntaxError) -> SegmentExpression {
        var left = try parseAnd()
        while isKeyword("OR") {
            try advance()
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws(SegmentSyntaxError) -> SegmentExpression {
        var left = try parseNot()
        while isKeyword("AND") {
            try advance()
            left = .and(left, try parseNot())
        }
        return left
    }

    private mutating func parseNot() throws(SegmentSyntaxError) -> SegmentExpression {
        if isKeyword("NOT") {
            try enter()
            try advance()
            defer { depth -= 1 }
            return .not(try parseNot())
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(SegmentSyntaxError) -> SegmentExpression {
        if token == .symbol("(") {
            let open = tokenStart
            try enter()
            defer { depth -= 1 }
            try advance()
            let inner = try parseOr()
            guard token == .symbol(")") else { throw SegmentSyntaxError("missing ) for the ( at position \(open + 1)", at: tokenStart) }
            try advance()
            return inner
        }
        guard case .word(let name) = token else {
            throw SegmentSyntaxError("expected a column name, NOT or (, found \(describe(token))", at: tokenStart)
        }
        let columnStart = tokenStart
        guard let column = SegmentColumn.named(name) else {
            throw SegmentSyntaxError(
                "unknown column \"\(name)\"; columns are \(SegmentColumn.allCases.map(\.rawValue).joined(separator: ", "))", at: columnStart)
        }
        try advance()
        if isKeyword("IS") {
            try advance()
            var negated = false
            if isKeyword("NOT") {
                negated = true
                try advance()
            }
            guard isKeyword("NULL") else { throw SegmentSyntaxError("expected NULL after IS", at: tokenStart) }
            try advance()
            return .isNull(column, negated: negated)
        }
        guard case .symbol(let symbol) = token, let comparison = Self.operators[symbol] else {
            throw SegmentSyntaxError("expected a comparison (=, <>, <, <=, >, >=) or IS NULL after \(column.rawValue)", at: tokenStart)
        }
        let operatorStart = tokenStart
        try advance()
        let valueStart = tokenStart
        let value = try parseValue()
        try check(column, comparison, value, columnAt: columnStart, operatorAt: operatorStart, valueAt: valueStart)
        return .comparison(column, comparison, value)
    }

    /// Opens one level of nesting, refusing past `maximumDepth`.
    private mutating func enter() throws(SegmentSyntaxError) {
        depth += 1
        guard depth <= SegmentExpression.maximumDepth else {
            throw SegmentSyntaxError("parentheses and NOT nest more than \(SegmentExpression.maximumDepth) deep", at: tokenStart)
        }
    }

    private mutating func parseValue() throws(SegmentSyntaxError) -> SegmentValue {
        switch token {
        case .number(let number):
            try advance()
            return .number(number)
        case .symbol("-"):
            // A negative number.
            try advance()
            guard case .number(let number) = token else {
                throw SegmentSyntaxError("expected a number after -", at: tokenStart)
            }
            try advance()
            return .number(-number)
        case .text(let text):
            let textStart = tokenStart
            try advance()
            if Self.looksLikeDate(text) {
                guard let date = Self.date(text) else {
                    throw SegmentSyntaxError(
                        "'\(text)' is not a calendar date from \(SegmentExpression.dateYears.lowerBound) to \(SegmentExpression.dateYears.upperBound)",
                        at: textStart)
                }
                return date
            }
            return .text(text)
        case .word(let word) where word.lowercased() == "today":
            try advance()
            var days = 0
            var months = 0
            if token == .symbol("+") || token == .symbol("-") {
                let sign = token == .symbol("-") ? -1 : 1
                try advance()
                guard case .number(let amount) = token, amount.rounded() == amount, amount >= 0 else {
                    throw SegmentSyntaxError("expected a whole number of days, weeks or months after today \(sign < 0 ? "-" : "+")", at: tokenStart)
                }
                let amountStart = tokenStart
                try advance()
                guard case .word(let unit) = token else {
                    throw SegmentSyntaxError("expected days, weeks or months", at: tokenStart)
                }
                let limit = SegmentExpression.maximumRelativeDays
                let (perUnit, unitLimit): (Int, Int)
                switch unit.lowercased() {
                case "day", "days": (perUnit, unitLimit) = (1, limit)
                case "week", "weeks": (perUnit, unitLimit) = (7, limit / 7)
                case "month", "months": (perUnit, unitLimit) = (0, limit / 30)
                default: throw SegmentSyntaxError("expected days, weeks or months, found \"\(unit)\"", at: tokenStart)
                }
                guard amount <= Double(unitLimit) else {
                    throw SegmentSyntaxError("today ± N \(unit.lowercased()) takes N up to \(unitLimit)", at: amountStart)
                }
                if perUnit == 0 { months = sign * Int(amount) } else { days = sign * perUnit * Int(amount) }
                try advance()
            }
            return .relativeDate(days: days, months: months)
        default:
            throw SegmentSyntaxError("expected a number, a 'quoted' text or date, or today, found \(describe(token))", at: tokenStart)
        }
    }

    private func check(
        _ column: SegmentColumn, _ comparison: SegmentExpression.ComparisonOperator, _ value: SegmentValue,
        columnAt: Int, operatorAt: Int, valueAt: Int
    ) throws(SegmentSyntaxError) {
        switch (column.kind, value) {
        case (.number, .number), (.date, .date), (.date, .relativeDate), (.text, .text):
            break
        case (.number, _):
            throw SegmentSyntaxError("\(column.rawValue) is a number; compare it with a number", at: valueAt)
        case (.date, _):
            throw SegmentSyntaxError("\(column.rawValue) is a date; compare it with 'YYYY-MM-DD' or today - N days", at: valueAt)
        case (.text, _):
            throw SegmentSyntaxError("\(column.rawValue) is text; compare it with a 'quoted' value", at: valueAt)
        }
        if column == .domain, comparison != .equal, comparison != .notEqual {
            throw SegmentSyntaxError("Domain takes = or <> only", at: operatorAt)
        }
        _ = columnAt
    }

    // MARK: - Lexer

    private func isKeyword(_ keyword: String) -> Bool {
        if case .word(let word) = token { return word.uppercased() == keyword }
        return false
    }

    private func describe(_ token: Token) -> String {
        switch token {
        case .word(let word): "\"\(word)\""
        case .number(let number): "the number \(number)"
        case .text(let text): "'\(text)'"
        case .symbol(let symbol): "\"\(symbol)\""
        case .end: "the end of the expression"
        }
    }

    static let operators: [String: SegmentExpression.ComparisonOperator] = [
        "=": .equal, "==": .equal, "!=": .notEqual, "<>": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
    ]

    /// `NNNN-NN-NN`: meant as a date, valid or not.
    static func looksLikeDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0].count == 4 && parts[1].count == 2 && parts[2].count == 2
            && parts.allSatisfy { $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }

    /// A real calendar date (no 31 February) in `SegmentExpression.dateYears`.
    static func date(_ text: String) -> SegmentValue? {
        guard looksLikeDate(text) else { return nil }
        let parts = text.split(separator: "-")
        guard let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            SegmentExpression.dateYears.contains(year), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        return .date(year: year, month: month, day: day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private mutating func advance() throws(SegmentSyntaxError) {
        while index < characters.count, characters[index].isWhitespace { index += 1 }
        tokenStart = index
        guard index < characters.count else {
            token = .end
            return
        }
        let character = characters[index]
        if character.isLetter || character == "_" {
            var word = ""
            while index < characters.count, characters[index].isLetter || characters[index].isNumber || characters[index] == "_" {
                word.append(characters[index])
                index += 1
            }
            token = .word(word)
        } else if character.isNumber || (character == "." && index + 1 < characters.count && characters[index + 1].isNumber) {
            var text = ""
            while index < characters.count, characters[index].isNumber || characters[index] == "." {
                text.append(characters[index])
                index += 1
            }
            guard let number = Double(text) else { throw SegmentSyntaxError("\"\(text)\" is not a number", at: tokenStart) }
            guard abs(number) <= SegmentExpression.maximumNumber else {
                throw SegmentSyntaxError("numbers are limited to ±1e15", at: tokenStart)
            }
            token = .number(number)
        } else if character == "'" || character == "\"" {
            let quote = character
            index += 1
            var text = ""
            while true {
                guard index < characters.count else { throw SegmentSyntaxError("the quoted value is not closed", at: tokenStart) }
                if characters[index] == quote {
                    // A doubled quote stands for one.
                    if index + 1 < characters.count, characters[index + 1] == quote {
                        text.append(quote)
                        index += 2
                        continue
                    }
                    index += 1
                    break
                }
                if characters[index].unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                    throw SegmentSyntaxError("a quoted value may not contain control characters (such as NUL or a line break)", at: index)
                }
                text.append(characters[index])
                index += 1
            }
            token = .text(text)
        } else {
            let two = index + 1 < characters.count ? String([character, characters[index + 1]]) : ""
            if ["<=", ">=", "<>", "!=", "=="].contains(two) {
                token = .symbol(two)
                index += 2
            } else if "()=<>+-".contains(character) {
                token = .symbol(String(character))
                index += 1
            } else {
                let shown = character.unicodeScalars.contains { $0.properties.generalCategory == .control }
                    ? character.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true).leftPadded(to: 4) }.joined()
                    : "\"\(character)\""
                throw SegmentSyntaxError("unexpected character \(shown)", at: index)
            }
        }
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
