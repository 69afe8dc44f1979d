import Engagement
import Foundation
import Testing

@Suite("Email classification")
struct EmailClassificationTests {
    let classifier = World.classifier()

    @Test func toAccount() throws {
        let email = World.email(to: ["Lee@Contoso.com"], cc: ["bob@ourco.com", "zoe@ourco.com"])
        let signal = try #require(classifier.classify(email).signals.first)
        #expect(signal == EmailSignal(
            messageKey: "m1@ourco.com", sentAt: World.t0, direction: .toAccount, accountID: "contoso",
            internalParticipants: ["ann@ourco.com", "bob@ourco.com"], accountParticipants: ["lee@contoso.com"],
            repliesTo: [], conversationID: nil
        ))
    }

    @Test func fromAccount() throws {
        var email = World.email(from: "lee@contoso.com", to: ["ann@ourco.com"], cc: ["max@contoso.com", "x@fabrikam.com"], bcc: ["bob@ourco.com"])
        email.inReplyTo = ["p2@ourco.com"]
        email.references = ["p1@ourco.com", "p2@ourco.com"]
        email.conversationID = "conv-1"
        let signals = classifier.classify(email).signals
        #expect(signals == [EmailSignal(
            messageKey: "m1@ourco.com", sentAt: World.t0, direction: .fromAccount, accountID: "contoso",
            internalParticipants: ["ann@ourco.com", "bob@ourco.com"], accountParticipants: ["lee@contoso.com", "max@contoso.com"],
            repliesTo: ["p2@ourco.com", "p1@ourco.com"], conversationID: "conv-1"
        )])
    }

    @Test func twoAccountsGiveTwoSignals() {
        let email = World.email(to: ["x@fabrikam.com", "lee@contoso.com"], bcc: ["max@eu.contoso.com", "jane@gmail.com"])
        let signals = classifier.classify(email).signals
        #expect(signals.map(\.accountID) == ["contoso", "contoso-eu", "fabrikam"])
        #expect(signals.allSatisfy { $0.direction == .toAccount && $0.messageKey == "m1@ourco.com" })
        #expect(signals[2].accountParticipants == ["jane@gmail.com", "x@fabrikam.com"])
    }

    @Test func senderFallsBackToSenderHeader() {
        let email = World.email(from: nil, sender: "ann@ourco.com")
        #expect(classifier.classify(email).signals.map(\.direction) == [.toAccount])
        // From wins over Sender when both are present.
        let onBehalf = World.email(from: "lee@contoso.com", sender: "ann@ourco.com", to: ["bob@ourco.com"])
        #expect(classifier.classify(onBehalf).signals.map(\.direction) == [.fromAccount])
    }

    @Test func fallbackKeyWhenNoMessageID() throws {
        let email = World.email(id: nil)
        let signal = try #require(classifier.classify(email).signals.first)
        #expect(signal.messageKey == ActivityClassifier.messageKey(of: email))
        #expect(signal.messageKey.hasPrefix("h:"))
    }

    @Test func freeMailRecipientWithoutContactIsNoAccount() {
        #expect(classifier.classify(World.email(to: ["stranger@gmail.com"])).rule == .noAccount)
    }

    @Test func unselectedColleagueSenderIsNoSelectedParticipant() {
        #expect(classifier.classify(World.email(from: "zoe@ourco.com")).rule == .noSelectedParticipant)
    }

    @Test func accountSenderToUnselectedColleague() {
        let email = World.email(from: "lee@contoso.com", to: ["zoe@ourco.com"])
        #expect(classifier.classify(email).rule == .noSelectedParticipant)
    }

    @Test func strangerToSelectedIsNoAccount() {
        let email = World.email(from: "x@unknown.org", to: ["ann@ourco.com", "lee@contoso.com"])
        #expect(classifier.classify(email).rule == .noAccount)
        #expect(classifier.classify(World.email(from: "x@unknown.org", to: ["y@unknown.org"])).rule == .noSelectedParticipant)
    }

    @Test func noSenderAtAll() {
        #expect(classifier.classify(World.email(from: nil, to: ["ann@ourco.com"])).rule == .internalOnly)
        #expect(classifier.classify(World.email(from: nil, to: ["ann@ourco.com", "x@unknown.org"])).rule == .noAccount)
        #expect(classifier.classify(World.email(from: nil, to: ["lee@contoso.com"])).rule == .noSelectedParticipant)
    }

    @Test func selectedSenderWithoutRecipients() {
        #expect(classifier.classify(World.email(to: [])).rule == .internalOnly)
        let rules = World.classifier { $0.internalOnly = false }
        #expect(rules.classify(World.email(to: [])).rule == .noAccount)
    }

    @Test func internalDomainRecipientIsNeverAccount() {
        // ann@ourco.com is a contoso contact, but internal: mail between ann and bob is internal-only.
        let email = World.email(from: "bob@ourco.com", to: ["ann@ourco.com", "cy@uk.ourco.com"])
        #expect(classifier.classify(email).rule == .internalOnly)
    }

    @Test func classifiesConcurrently() async {
        let classifier = self.classifier
        let counts = await withTaskGroup(of: Int.self) { group in
            for i in 0..<8 {
                group.addTask { classifier.classify(World.email(id: "m\(i)@ourco.com", to: ["x\(i)@contoso.com"])).signals.count }
            }
            return await group.reduce(0, +)
        }
        #expect(counts == 8)
    }
}
