import Engagement
import Testing

@Suite("Segment expressions")
struct SegmentExpressionTests {
    @Test("the seed's stale-accounts condition and the full grammar parse")
    func parses() throws {
        let stale = try SegmentExpression.parse("DaysSinceLastEmail > 60 AND DaysSinceLastMeeting > 60")
        #expect(stale == .and(.comparison(.daysSinceLastEmail, .greater, .number(60)), .comparison(.daysSinceLastMeeting, .greater, .number(60))))
        let mixed = try SegmentExpression.parse(
            "NOT (engagementscore >= 50 OR Name = 'O''Brien & Co') AND EngagementStartDate < today - 90 days AND Domain <> 'contoso.com' AND DaysSinceLastMeeting IS NOT NULL")
        guard case .and(.and(.and(.not(.or(let score, let name)), let start), let domain), let notNull) = mixed else {
            Issue.record("unexpected shape \(mixed)")
            return
        }
        #expect(score == .comparison(.engagementScore, .greaterOrEqual, .number(50)))
        #expect(name == .comparison(.name, .equal, .text("O'Brien & Co")))
        #expect(start == .comparison(.engagementStartDate, .less, .relativeDate(days: -90, months: 0)))
        #expect(domain == .comparison(.domain, .notEqual, .text("contoso.com")))
        #expect(notNull == .isNull(.daysSinceLastMeeting, negated: true))
        #expect(try SegmentExpression.parse("EngagementStartDate >= '2026-01-31'") == .comparison(.engagementStartDate, .greaterOrEqual, .date(year: 2026, month: 1, day: 31)))
        #expect(try SegmentExpression.parse("EngagementStartDate > today - 2 months") == .comparison(.engagementStartDate, .greater, .relativeDate(days: 0, months: -2)))
        // OR binds looser than AND.
        #expect(try SegmentExpression.parse("EngagementScore > 1 OR EngagementScore > 2 AND EngagementScore > 3")
            == .or(.comparison(.engagementScore, .greater, .number(1)), .and(.comparison(.engagementScore, .greater, .number(2)), .comparison(.engagementScore, .greater, .number(3)))))
    }

    @Test("errors say what is wrong and where", arguments: [
        ("Subject = 'x'", "unknown column", 1),
        ("EngagementScore >", "expected a number", 18),
        ("(EngagementScore > 5", "missing )", 21),
        ("EngagementScore > 'high'", "is a number", 19),
        ("EngagementStartDate < 5", "is a date", 23),
        ("Domain > 'a.com'", "= or <> only", 8),
        ("Name = 'unclosed", "not closed", 8),
        ("EngagementScore > 5 5", "expected AND, OR or the end", 21),
        ("", "empty", 1),
        ("EngagementScore ; 5", "unexpected character", 17),
        ("EngagementStartDate > today - 3 fortnights", "days, weeks or months", 33),
    ])
    func errors(text: String, message: String, position: Int) {
        do {
            _ = try SegmentExpression.parse(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.message.contains(message), "\(error)")
            #expect(error.position + 1 == position, "\(error) for \(text)")
            #expect(error.description.contains("position \(position)"))
        }
    }

    @Test("hostile expressions are refused with the limit they pass, never trapping", arguments: [
        ("EngagementStartDate < today - 99999999999999999999 days", "numbers are limited", 31),
        ("EngagementStartDate < today - 2000000000000000000 weeks", "numbers are limited", 31),
        ("EngagementStartDate < today - 1000000000 days", "takes N up to 36600", 31),
        ("EngagementStartDate < today - 5229 weeks", "takes N up to 5228", 31),
        ("EngagementStartDate < today + 1221 months", "takes N up to 1220", 31),
        ("EngagementStartDate < '0000-01-01'", "not a calendar date", 23),
        ("EngagementStartDate < '2026-02-31'", "not a calendar date", 23),
        ("EngagementStartDate < '2026-13-01'", "not a calendar date", 23),
        ("Name = 'a\u{0}b'", "control characters", 10),
        ("Name = 'a\nb'", "control characters", 10),
        ("EngagementScore \u{0} 5", "U+0000", 17),
        ("EngagementScore > 1e16", "unexpected", 20),
        ("EngagementScore > 10000000000000000", "numbers are limited", 19),
    ])
    func limits(text: String, message: String, position: Int) {
        do {
            _ = try SegmentExpression.parse(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.message.contains(message), "\(error)")
            #expect(error.position + 1 == position, "\(error) for \(text)")
        }
    }

    @Test("nesting, NOT chains and length are bounded: 3,000 parentheses are an error, not a stack overflow")
    func depthAndLength() throws {
        let deep = String(repeating: "(", count: 3000) + "EngagementScore > 1" + String(repeating: ")", count: 3000)
        #expect(throws: SegmentSyntaxError.self) { try SegmentExpression.parse(deep) }
        do {
            _ = try SegmentExpression.parse(String(repeating: "(", count: 40) + "EngagementScore > 1" + String(repeating: ")", count: 40))
            Issue.record("40 levels parsed")
        } catch {
            #expect(error.message.contains("nest more than 32"))
            #expect(error.position == 32)
        }
        let nots = String(repeating: "NOT ", count: 33) + "EngagementScore > 1"
        #expect(throws: SegmentSyntaxError.self) { try SegmentExpression.parse(nots) }
        // 32 levels are fine, and so is a leap day.
        _ = try SegmentExpression.parse(String(repeating: "(", count: 32) + "EngagementScore > 1" + String(repeating: ")", count: 32))
        #expect(try SegmentExpression.parse("EngagementStartDate < '2024-02-29'") == .comparison(.engagementStartDate, .less, .date(year: 2024, month: 2, day: 29)))
        #expect(try SegmentExpression.parse("EngagementStartDate < today - 36600 days") == .comparison(.engagementStartDate, .less, .relativeDate(days: -36600, months: 0)))
        let long = Array(repeating: "EngagementScore > 1", count: 120).joined(separator: " AND ")
        #expect(long.count > SegmentExpression.maximumLength)
        do {
            _ = try SegmentExpression.parse(long)
            Issue.record("a long expression parsed")
        } catch {
            #expect(error.message.contains("longer than 2000 characters"))
        }
    }
}
