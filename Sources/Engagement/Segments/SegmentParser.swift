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
            try advance()
            return .not(try parseNot())
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(SegmentSyntaxError) -> SegmentExpression {
        if token == .symbol("(") {
            let open = tokenStart
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
            try advance()
            if let date = Self.date(text) { return date }
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
                try advance()
                guard case .word(let unit) = token else {
                    throw SegmentSyntaxError("expected days, weeks or months", at: tokenStart)
                }
                switch unit.lowercased() {
                case "day", "days": days = sign * Int(amount)
                case "week", "weeks": days = sign * 7 * Int(amount)
                case "month", "months": months = sign * Int(amount)
                default: throw SegmentSyntaxError("expected days, weeks or months, found \"\(unit)\"", at: tokenStart)
                }
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

    static func date(_ text: String) -> SegmentValue? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return .date(year: year, month: month, day: day)
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
                throw SegmentSyntaxError("unexpected character \"\(character)\"", at: index)
            }
        }
    }
}
