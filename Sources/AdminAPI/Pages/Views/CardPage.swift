import Foundation
import Platform

/// A customer's card: score and its breakdown, year totals, the monthly email and meeting chart.
struct CardPage: PageView {
    static let template = "card"

    struct Component: Sendable {
        var name: String
        var input: String
        var contribution: String
    }

    var name: String
    var accountID: String
    var score: Int
    var raw: String
    var totalEmails: Int
    var totalMeetings: Int
    var chart: String
    var breakdown: [Component]

    init(_ card: ResultsStore.CustomerCard) {
        let months = card.monthly
        let chart = SVGChart(
            title: "Monthly email and meeting history of \(card.name)", kind: .bars, labels: months.map { String($0.aggregationStartDate.prefix(7)) },
            series: [
                .init(name: "Emails to", values: months.map { Double($0.emailsToAccount) }),
                .init(name: "Emails from", values: months.map { Double($0.emailsFromAccount) }),
                .init(name: "Meetings to", values: months.map { Double($0.meetingsToAccount) }),
                .init(name: "Meetings from", values: months.map { Double($0.meetingsFromAccount) }),
            ])
        name = card.name
        accountID = card.accountID
        score = card.year.engagementScore
        raw = String(format: "%.3f", card.rawScore)
        totalEmails = card.totalEmails
        totalMeetings = card.totalMeetings
        self.chart = chart.render()
        breakdown = card.breakdown.map {
            Component(name: $0.name, input: String(format: "%.2f", $0.input), contribution: String(format: "%.3f", $0.contribution))
        }
    }
}
