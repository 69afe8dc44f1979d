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
}
