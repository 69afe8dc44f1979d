import Engagement
import Foundation

/// A small environment the tests share: our domains, selected people, accounts and contacts.
enum World {
    static let selected: Set<String> = ["ann@ourco.com", "bob@ourco.com", "cy@uk.ourco.com", "ceo@ourco-holdings.net"]

    static let accounts = [
        BusinessAccount(id: "contoso", name: "Contoso", domains: ["contoso.com"]),
        BusinessAccount(id: "contoso-eu", name: "Contoso Europe", domains: ["eu.contoso.com"]),
        BusinessAccount(id: "fabrikam", name: "Fabrikam", domains: ["fabrikam.com", "fabrikam.co.uk"]),
        // Two accounts list northwind.com; "b-10" wins over "b-2" in byte order.
        BusinessAccount(id: "b-2", name: "Northwind", domains: ["northwind.com"]),
        BusinessAccount(id: "b-10", name: "Northwind (dup)", domains: ["northwind.com"]),
        // A CRM entry that lists a free-mail domain: never used for domain matching.
        BusinessAccount(id: "sloppy", name: "Sloppy CRM row", domains: ["gmail.com", "sloppy.io"]),
        // An account that lists our own domain: internal addresses still never belong to it.
        BusinessAccount(id: "self", name: "Ourselves", domains: ["ourco.com"]),
    ]

    static let contacts: [String: String] = [
        "jane@gmail.com": "fabrikam",
        "pat@contoso.com": "fabrikam",
        "kim+crm@tailspin.com": "tailspin",
        "ann@ourco.com": "contoso",
    ]

    static func matcher(internalDomains: [String] = ["ourco.com"], selected: Set<String> = World.selected) -> AccountMatcher {
        AccountMatcher(
            internalDomains: internalDomains, selectedAddresses: selected, accounts: accounts,
            contactAccount: { contacts[$0] }
        )
    }

    static func classifier(_ configure: (inout NoiseRules) -> Void = { _ in }) -> ActivityClassifier {
        var rules = NoiseRules()
        configure(&rules)
        return ActivityClassifier(matcher: matcher(), rules: rules)
    }

    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    static func email(
        id: String? = "m1@ourco.com", from: String? = "ann@ourco.com", sender: String? = nil,
        to: [String] = ["lee@contoso.com"], cc: [String] = [], bcc: [String] = [], sentAt: Date? = t0,
        bulk: Bool = false, autoSubmitted: Bool = false
    ) -> ActivityEmail {
        ActivityEmail(
            messageID: id, from: from, sender: sender, to: to, cc: cc, bcc: bcc, sentAt: sentAt,
            bulk: bulk, autoSubmitted: autoSubmitted
        )
    }

    static func meeting(
        organizer: String? = "ann@ourco.com", attendees: [ActivityAttendee] = [ActivityAttendee(address: "lee@contoso.com")],
        cancelled: Bool = false, recurrenceID: Date? = nil
    ) -> ActivityMeeting {
        ActivityMeeting(
            uid: "uid-1", recurrenceID: recurrenceID, organizer: organizer, attendees: attendees,
            start: t0, end: t0.addingTimeInterval(1800), cancelled: cancelled
        )
    }
}

extension Classification {
    /// The signals, or [] when skipped.
    var signals: [Signal] {
        if case .signals(let s) = self { return s }
        return []
    }

    /// The rule that skipped, or nil.
    var rule: NoiseRule? {
        if case .skipped(let r) = self { return r }
        return nil
    }
}
