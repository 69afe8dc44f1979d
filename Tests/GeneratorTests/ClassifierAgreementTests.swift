import Engagement
import Foundation
import Generator
import Testing

/// The generator's intended outcome of every email and occurrence equals what the production classifier decides.
@Suite("Expectations agree with the classifier")
struct ClassifierAgreementTests {
    let fixture = GeneratedFixture.shared

    /// What the importer would make of a record: outside the window, a skip, or signals by account id and direction.
    static func outcome(_ expectation: ExpectedOutcome, accounts: [SyntheticAccount]) -> String {
        switch expectation {
        case .outsideWindow: return "outside"
        case .skipped(let rule): return rule.rawValue
        case .counted(let counts):
            return counts.map { "\(accounts[$0.account].id):\($0.toAccount ? "to" : "from")" }.sorted().joined(separator: ",")
        }
    }

    func inWindow(_ seconds: Int) -> Bool {
        seconds >= GeneratedFixture.spec.windowStartSeconds && seconds <= GeneratedFixture.spec.asOfSeconds
    }

    @Test("every email")
    func emails() throws {
        let classifier = try fixture.classifier()
        let accounts = fixture.organization.accounts
        var mismatches: [String] = []
        for email in fixture.emails {
            let actual: String
            if !inWindow(email.sentAt) {
                actual = "outside"
            } else {
                switch classifier.classify(email.record) {
                case .skipped(let rule): actual = rule.rawValue
                case .signals(let signals):
                    actual = signals.map { "\($0.accountID):\($0.direction == .toAccount ? "to" : "from")" }.sorted().joined(separator: ",")
                }
            }
            let expected = Self.outcome(email.expectation, accounts: accounts)
            if actual != expected { mismatches.append("\(email.messageID ?? "-"): expected \(expected), classified \(actual)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(5))")
    }

    @Test("every meeting occurrence")
    func meetings() throws {
        let classifier = try fixture.classifier()
        let accounts = fixture.organization.accounts
        var mismatches: [String] = []
        for event in fixture.events {
            for (occurrence, record) in zip(event.occurrences, event.records) {
                let actual: String
                if !inWindow(occurrence.start) {
                    actual = "outside"
                } else {
                    switch classifier.classify(record) {
                    case .skipped(let rule): actual = rule.rawValue
                    case .signals(let signals):
                        actual = signals.map { "\($0.accountID):\($0.direction == .toAccount ? "to" : "from")" }.sorted().joined(separator: ",")
                    }
                }
                let expected = Self.outcome(occurrence.expectation, accounts: accounts)
                if actual != expected { mismatches.append("\(event.subject) \(occurrence.start): expected \(expected), classified \(actual)") }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(5))")
    }
}
