import Foundation
import Platform

/// The current result's summary, and what its run read through Microsoft Graph when it did.
struct ResultsSummaryView: Encodable {
    var summary: RunSummary
    /// Mailboxes, how many are fully covered, and the others with the days they cover and why.
    var coverage: GraphRunReadings.Summary?

    func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encodeIfPresent(coverage, forKey: .coverage)
    }

    enum Keys: String, CodingKey {
        case coverage
    }
}
