import Foundation
import Ingest

/// A `$filter` expression: comparisons (`eq ne gt ge lt le`), `and`, `or`, `not`, parentheses, and
/// `contains`/`startswith`/`endswith` on a property.
indirect enum ODataFilter {
    enum Operator: String {
        case eq, ne, gt, ge, lt, le
    }

    enum Literal: Equatable {
        case string(String)
        case number(Double)
        case bool(Bool)
        case null
        /// A GUID, date or date-time written bare.
        case bare(String)
    }

    case and(ODataFilter, ODataFilter)
    case or(ODataFilter, ODataFilter)
    case not(ODataFilter)
    case compare(String, Operator, Literal)
    case function(String, String, String)

    /// Every property the expression names.
    var properties: [String] {
        switch self {
        case .and(let a, let b), .or(let a, let b): a.properties + b.properties
        case .not(let a): a.properties
        case .compare(let property, _, _), .function(_, let property, _): [property]
        }
    }

    /// Whether a row (its values by property name) matches.
    func matches(_ value: (String) -> JSONValue?, caseInsensitive: Bool) -> Bool {
        switch self {
        case .and(let a, let b): return a.matches(value, caseInsensitive: caseInsensitive) && b.matches(value, caseInsensitive: caseInsensitive)
        case .or(let a, let b): return a.matches(value, caseInsensitive: caseInsensitive) || b.matches(value, caseInsensitive: caseInsensitive)
        case .not(let a): return !a.matches(value, caseInsensitive: caseInsensitive)
        case .function(let name, let property, let argument):
            guard case .string(let text)? = value(property) else { return false }
            let haystack = caseInsensitive ? text.lowercased() : text
            let needle = caseInsensitive ? argument.lowercased() : argument
            switch name {
            case "contains": return haystack.contains(needle)
            case "startswith": return haystack.hasPrefix(needle)
            default: return haystack.hasSuffix(needle)
            }
        case .compare(let property, let op, let literal):
            let actual = value(property) ?? .null
            guard let order = Self.order(actual, literal, caseInsensitive: caseInsensitive) else {
                // Null against a value, or types that do not compare: only `ne` holds.
                return op == .ne
            }
            switch op {
            case .eq: return order == 0
            case .ne: return order != 0
            case .gt: return order > 0
            case .ge: return order >= 0
            case .lt: return order < 0
            case .le: return order <= 0
            }
        }
    }

    /// -1, 0 or 1; nil when the two do not compare.
    static func order(_ actual: JSONValue, _ literal: Literal, caseInsensitive: Bool) -> Int? {
        func compare<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : a > b ? 1 : 0 }
        switch (actual, literal) {
        case (.null, .null): return 0
        case (.number(let a), .number(let b)): return compare(a, b)
        case (.bool(let a), .bool(let b)): return a == b ? 0 : (a ? 1 : -1)
        case (.string(let a), .string(let b)):
            return caseInsensitive ? compare(a.lowercased(), b.lowercased()) : compare(a, b)
        case (.string(let a), .bare(let b)):
            // GUIDs and dates: their text compares in order.
            return compare(a.lowercased(), b.lowercased())
        default: return nil
        }
    }

    // MARK: - Parsing

    struct ParseError: Error {
        var message: String
    }

    static func parse(_ text: String) throws(ParseError) -> ODataFilter {
        var parser = Parser(tokens: try tokenize(text))
        let expression = try parser.orExpression()
        guard parser.index == parser.tokens.count else { throw ParseError(message: "Syntax error at position \(parser.index) in '\(text)'.") }
        return expression
    }

    enum Token: Equatable {
        case word(String)
        case string(String)
        case open, close, comma
    }

    static func tokenize(_ text: String) throws(ParseError) -> [Token] {
        var tokens: [Token] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            switch character {
            case " ", "\t":
                index += 1
            case "(":
                tokens.append(.open)
                index += 1
            case ")":
                tokens.append(.close)
                index += 1
            case ",":
                tokens.append(.comma)
                index += 1
            case "'":
                var value = ""
                index += 1
                var closed = false
                while index < characters.count {
                    if characters[index] == "'" {
                        if index + 1 < characters.count, characters[index + 1] == "'" {
                            value.append("'")
                            index += 2
                            continue
                        }
                        index += 1
                        closed = true
                        break
                    }
                    value.append(characters[index])
                    index += 1
                }
                guard closed else { throw ParseError(message: "Unterminated string literal in '\(text)'.") }
                tokens.append(.string(value))
            default:
                let start = index
                while index < characters.count, !" \t(),'".contains(characters[index]) { index += 1 }
                tokens.append(.word(String(characters[start..<index])))
            }
        }
        return tokens
    }

    struct Parser {
        let tokens: [Token]
        var index = 0

        mutating func orExpression() throws(ParseError) -> ODataFilter {
            var left = try andExpression()
            while index < tokens.count, tokens[index] == .word("or") {
                index += 1
                left = .or(left, try andExpression())
            }
            return left
        }

        mutating func andExpression() throws(ParseError) -> ODataFilter {
            var left = try unary()
            while index < tokens.count, tokens[index] == .word("and") {
                index += 1
                left = .and(left, try unary())
            }
            return left
        }

        mutating func unary() throws(ParseError) -> ODataFilter {
            guard index < tokens.count else { throw ParseError(message: "The $filter expression ends too early.") }
            if tokens[index] == .word("not") {
                index += 1
                return .not(try unary())
            }
            if tokens[index] == .open {
                index += 1
                let inner = try orExpression()
                guard index < tokens.count, tokens[index] == .close else { throw ParseError(message: "')' expected in $filter.") }
                index += 1
                return inner
            }
            guard case .word(let word) = tokens[index] else { throw ParseError(message: "A property name was expected in $filter.") }
            index += 1
            if ["contains", "startswith", "endswith"].contains(word) {
                guard index + 4 < tokens.count, tokens[index] == .open, case .word(let property) = tokens[index + 1],
                    tokens[index + 2] == .comma, case .string(let argument) = tokens[index + 3], tokens[index + 4] == .close
                else { throw ParseError(message: "\(word)(property, 'text') expected in $filter.") }
                index += 5
                return .function(word, property, argument)
            }
            if index < tokens.count, tokens[index] == .open {
                throw ParseError(message: "The function '\(word)' is not supported by this fake's $filter.")
            }
            guard index + 1 < tokens.count, case .word(let opText) = tokens[index], let op = Operator(rawValue: opText) else {
                throw ParseError(message: "A comparison operator (eq, ne, gt, ge, lt, le) was expected after '\(word)' in $filter.")
            }
            index += 1
            let literal: Literal
            switch tokens[index] {
            case .string(let text): literal = .string(text)
            case .word("null"): literal = .null
            case .word("true"): literal = .bool(true)
            case .word("false"): literal = .bool(false)
            case .word(let text):
                if let number = Double(text), let first = text.first, first.isNumber || first == "-" || first == "." {
                    literal = .number(number)
                } else if UUID(uuidString: text) != nil || RFC3339.parse(text) != nil {
                    literal = .bare(text)
                } else {
                    throw ParseError(message: "The literal '\(text)' is not valid in $filter.")
                }
            default: throw ParseError(message: "A literal was expected after '\(opText)' in $filter.")
            }
            index += 1
            return .compare(word, op, literal)
        }
    }
}
