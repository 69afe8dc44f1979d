import Engagement
import Foundation
import Testing

@Suite("Account matching")
struct AccountMatcherTests {
    let matcher = World.matcher()

    func account(_ address: String) -> String? { matcher.account(of: address)?.accountID }

    @Test func domainAndSubdomains() {
        #expect(matcher.account(of: "lee@contoso.com") == AccountAttribution(accountID: "contoso", via: .domain("contoso.com")))
        #expect(matcher.account(of: "lee@sales.contoso.com") == AccountAttribution(accountID: "contoso", via: .domain("contoso.com")))
        #expect(account("x@fabrikam.co.uk") == "fabrikam")
        #expect(account("x@notcontoso.com") == nil)
        #expect(account("x@contoso.com.evil.net") == nil)
    }

    @Test func mostSpecificDomainWins() {
        #expect(matcher.account(of: "lee@eu.contoso.com") == AccountAttribution(accountID: "contoso-eu", via: .domain("eu.contoso.com")))
        #expect(account("lee@paris.eu.contoso.com") == "contoso-eu")
        #expect(account("lee@us.contoso.com") == "contoso")
    }

    @Test func tieGoesToLowestAccountIDInByteOrder() {
        #expect(account("x@northwind.com") == "b-10")
        // Order of the accounts given does not matter.
        let reversed = AccountMatcher(
            internalDomains: [], selectedAddresses: [], accounts: World.accounts.reversed(), contactAccount: { _ in nil }
        )
        #expect(reversed.account(of: "x@northwind.com")?.accountID == "b-10")
    }

    @Test func freeMailOnlyByContact() {
        #expect(account("someone@gmail.com") == nil)
        #expect(account("someone@eu.gmail.com") == nil)
        #expect(account("someone@yahoo.co.uk") == nil)
        #expect(matcher.account(of: "jane@gmail.com") == AccountAttribution(accountID: "fabrikam", via: .contact))
        // The sloppy account's other domain still works.
        #expect(account("x@sloppy.io") == "sloppy")
    }

    @Test func contactBeatsDomainOfAnotherAccount() {
        #expect(matcher.account(of: "pat@contoso.com") == AccountAttribution(accountID: "fabrikam", via: .contact))
        #expect(account("kim+crm@tailspin.com") == "tailspin")
    }

    @Test func mixedCaseAndWhitespace() {
        #expect(account("  Lee@Contoso.COM ") == "contoso")
        #expect(account("JANE@GMAIL.COM") == "fabrikam")
        #expect(matcher.isSelected("ANN@OurCo.com"))
        #expect(matcher.isInternal("Someone@OURCO.COM"))
    }

    @Test func contactLookupGetsTheNormalizedAddress() {
        let seen = Box()
        let m = AccountMatcher(
            internalDomains: [], selectedAddresses: [], accounts: [],
            contactAccount: { seen.append($0); return nil }
        )
        _ = m.account(of: " Kim+Tag@Tailspin.COM ")
        #expect(seen.values == ["kim+tag@tailspin.com"])
    }

    @Test func emptyContactAccountIsNoContact() {
        let m = AccountMatcher(internalDomains: [], selectedAddresses: [], accounts: World.accounts, contactAccount: { _ in "" })
        #expect(m.account(of: "lee@contoso.com")?.via == .domain("contoso.com"))
    }

    @Test func plusAddressingKeptAsWritten() {
        // The contact carries kim+crm@…; kim@… and kim+other@… are different addresses with no domain match.
        #expect(account("kim@tailspin.com") == nil)
        #expect(account("kim+other@tailspin.com") == nil)
        #expect(account("lee+x@contoso.com") == "contoso")
        let m = World.matcher(selected: ["ann+news@ourco-holdings.net"])
        #expect(m.isSelected("ann+news@ourco-holdings.net"))
        #expect(!m.isSelected("ann@ourco-holdings.net"))
    }

    @Test func internalDomainsSubdomainsAndSelected() {
        #expect(matcher.isInternal("zoe@ourco.com"))
        #expect(matcher.isInternal("cy@uk.ourco.com"))
        #expect(matcher.isInternal("ceo@ourco-holdings.net"))  // selected, though not at an internal domain
        #expect(!matcher.isInternal("zoe@notourco.com"))
        #expect(!matcher.isInternal("zoe@ourco.com.evil.net"))
        #expect(matcher.isSelected("ann@ourco.com"))
        #expect(!matcher.isSelected("zoe@ourco.com"))
    }

    @Test func internalNeverBelongsToAnAccount() {
        // ann@ourco.com is also a contact of contoso, and "self" lists ourco.com: internal wins.
        #expect(account("ann@ourco.com") == nil)
        #expect(account("zoe@ourco.com") == nil)
        #expect(account("zoe@uk.ourco.com") == nil)
        #expect(account("ceo@ourco-holdings.net") == nil)
    }

    @Test func oddAddresses() {
        #expect(account("") == nil)
        #expect(account("no-at-sign") == nil)
        #expect(account("x@com") == nil)
        #expect(account("x@contoso.com.") == "contoso")
        #expect(!matcher.isInternal(""))
    }
}

/// A thread-safe recorder for a @Sendable closure.
final class Box: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ value: String) { lock.withLock { stored.append(value) } }
    var values: [String] { lock.withLock { stored } }
}
