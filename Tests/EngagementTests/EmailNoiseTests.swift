import Engagement
import Foundation
import Testing

@Suite("Email noise rules and precedence")
struct EmailNoiseTests {
    let classifier = World.classifier { rules in
        rules.excludedAddresses = ["Blocked@Contoso.com", "ceo@ourco-holdings.net"]
        rules.excludedDomains = ["secret.fabrikam.com", "spam.example"]
    }

    func rule(_ email: ActivityEmail, _ c: ActivityClassifier? = nil) -> NoiseRule? {
        (c ?? classifier).classify(email).rule
    }

    @Test func missingDate() {
        #expect(rule(World.email(sentAt: nil)) == .missingDate)
    }

    @Test func autoSubmittedBeatsBulk() {
        #expect(rule(World.email(autoSubmitted: true)) == .autoSubmitted)
        #expect(rule(World.email(bulk: true, autoSubmitted: true)) == .autoSubmitted)
        #expect(rule(World.email(bulk: true)) == .bulk)
    }

    @Test func bulkFlagFromAutoSubmittedAloneIsNotBulk() {
        // With the auto-submitted rule off, a bulk flag that may only reflect Auto-Submitted does not skip.
        let c = World.classifier { $0.autoSubmitted = false }
        #expect(rule(World.email(bulk: true, autoSubmitted: true), c) == nil)
        #expect(rule(World.email(bulk: true), c) == .bulk)
    }

    @Test func rulesSwitchOff() {
        let c = World.classifier {
            $0.bulk = false; $0.autoSubmitted = false; $0.noReplySenders = false; $0.internalOnly = false
        }
        #expect(rule(World.email(bulk: true), c) == nil)
        #expect(rule(World.email(autoSubmitted: true), c) == nil)
        #expect(rule(World.email(from: "noreply@contoso.com", to: ["ann@ourco.com"]), c) == nil)
        #expect(rule(World.email(to: ["bob@ourco.com"]), c) == .noAccount)
    }

    @Test(arguments: [
        "noreply@contoso.com", "no-reply@contoso.com", "No_Reply@contoso.com", "no.reply@contoso.com",
        "donotreply@contoso.com", "do-not-reply@contoso.com", "Do_Not_Reply@contoso.com", "MAILER-DAEMON@contoso.com",
        "postmaster@contoso.com", "bounce@contoso.com", "bounces+12345-abc@contoso.com", "notifications-noreply@contoso.com",
        "noreply+tag@contoso.com", "email.bounces.team@contoso.com",
    ])
    func noReplySenders(_ sender: String) {
        #expect(rule(World.email(from: sender, to: ["ann@ourco.com"])) == .noReplySender)
    }

    @Test(arguments: ["lee@contoso.com", "noreen@contoso.com", "reply@contoso.com", "bouncer@contoso.com", "no@contoso.com", "replies-to-noreplyx@contoso.com"])
    func ordinarySenders(_ sender: String) {
        #expect(rule(World.email(from: sender, to: ["ann@ourco.com"])) == nil)
    }

    @Test func internalOnly() {
        #expect(rule(World.email(to: ["bob@ourco.com", "zoe@uk.ourco.com"])) == .internalOnly)
    }

    @Test func excludedSenderSkips() {
        #expect(rule(World.email(from: "blocked@contoso.com", to: ["ann@ourco.com"])) == .excludedAddress)
        #expect(rule(World.email(from: "x@a.secret.fabrikam.com", to: ["ann@ourco.com"])) == .excludedDomain)
        #expect(rule(World.email(from: "ceo@ourco-holdings.net")) == .excludedAddress)
    }

    @Test func excludedRecipientIsDropped() {
        let email = World.email(to: ["blocked@contoso.com", "lee@contoso.com", "y@secret.fabrikam.com", "x@fabrikam.com"])
        let signals = classifier.classify(email).signals
        #expect(signals.map(\.accountID) == ["contoso", "fabrikam"])
        #expect(signals[0].accountParticipants == ["lee@contoso.com"])
        #expect(signals[1].accountParticipants == ["x@fabrikam.com"])
        // An excluded selected recipient is not an internal participant.
        let fromAccount = World.email(from: "lee@contoso.com", to: ["ann@ourco.com"], cc: ["ceo@ourco-holdings.net"])
        #expect(classifier.classify(fromAccount).signals.first?.internalParticipants == ["ann@ourco.com"])
    }

    @Test func skipCausedByExclusionIsBlamedOnIt() {
        #expect(rule(World.email(to: ["blocked@contoso.com"])) == .excludedAddress)
        #expect(rule(World.email(to: ["y@secret.fabrikam.com", "bob@ourco.com"])) == .excludedDomain)
        #expect(rule(World.email(to: ["y@secret.fabrikam.com", "blocked@contoso.com"])) == .excludedAddress)
        // Selected recipient excluded: the account's mail now has nobody selected to go to.
        #expect(rule(World.email(from: "lee@contoso.com", to: ["ceo@ourco-holdings.net"])) == .excludedAddress)
    }

    @Test func skipNotCausedByExclusionKeepsItsOwnRule() {
        // Without the exclusion it would still be internal-only / no account.
        #expect(rule(World.email(to: ["bob@ourco.com", "x@spam.example"])) == .noAccount)
        #expect(rule(World.email(from: "zoe@ourco.com", to: ["blocked@contoso.com"])) == .noSelectedParticipant)
    }

    @Test func precedence() {
        // missing date > excluded sender > auto-submitted > bulk > no-reply > internal-only > no selected > no account
        let everything = World.email(from: "noreply@spam.example", to: ["bob@ourco.com"], sentAt: nil, bulk: true, autoSubmitted: true)
        #expect(rule(everything) == .missingDate)
        var e = everything
        e.sentAt = World.t0
        #expect(rule(e) == .excludedDomain)
        e.from = "noreply@ourco.com"
        #expect(rule(e) == .autoSubmitted)
        e.autoSubmitted = false
        #expect(rule(e) == .bulk)
        e.bulk = false
        #expect(rule(e) == .noReplySender)
        e.from = "zoe@ourco.com"
        #expect(rule(e) == .internalOnly)
        e.to = ["x@unknown.org"]
        #expect(rule(e) == .noSelectedParticipant)
        e.from = "ann@ourco.com"
        #expect(rule(e) == .noAccount)
        e.to = ["lee@contoso.com"]
        #expect(rule(e) == nil)
    }
}
