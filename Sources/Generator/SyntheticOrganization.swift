import Engagement
import Foundation

/// A generated organization: its directory and selected mailboxes, its CRM accounts and contacts, and the outsiders who write to it.
///
/// Built deterministically from an `OrganizationSpec` (`SyntheticOrganization(spec)`);
/// the activity comes from `ActivityGenerator`.
public struct SyntheticOrganization: Sendable {
    public let spec: OrganizationSpec
    public let directory: Directory
    /// The selected mailboxes, in directory order (`Participant.Role.selected(index)`).
    public let mailboxes: [Participant]
    /// Internal people whose mailboxes are not selected; the first is the chief executive.
    public let colleagues: [Participant]
    /// Meeting rooms (CUTYPE=ROOM) at the organization's domain.
    public let rooms: [Participant]
    public let accounts: [SyntheticAccount]
    public let contacts: [SyntheticContact]
    /// Free-mail addresses with no contact, and people at domains no account lists.
    public let strangers: [Participant]
    /// Newsletter senders that are no account's.
    public let vendors: [Participant]

    init(
        spec: OrganizationSpec, directory: Directory, mailboxes: [Participant], colleagues: [Participant], rooms: [Participant],
        accounts: [SyntheticAccount], contacts: [SyntheticContact], strangers: [Participant], vendors: [Participant]
    ) {
        self.spec = spec
        self.directory = directory
        self.mailboxes = mailboxes
        self.colleagues = colleagues
        self.rooms = rooms
        self.accounts = accounts
        self.contacts = contacts
        self.strangers = strangers
        self.vendors = vendors
    }

    /// The organization's own domains (the product's internal domains).
    public var internalDomains: [String] { [spec.domain] }

    /// The selected addresses, sorted.
    public var selectedAddresses: [String] { mailboxes.map(\.address).sorted() }

    /// The accounts as `rapport import` reads them from `accounts.csv`.
    public var businessAccounts: [BusinessAccount] {
        accounts.map { BusinessAccount(id: $0.id, name: $0.name, domains: $0.domains) }
    }

    /// The contacts as `rapport import` reads them from `contacts.csv` (lowercase addresses by column).
    public var crmContacts: [Contact] {
        contacts.map { contact in
            var emails: [String: String] = [:]
            if !contact.email1.isEmpty { emails["emailaddress1"] = contact.email1.lowercased() }
            if !contact.email2.isEmpty { emails["emailaddress2"] = contact.email2.lowercased() }
            return Contact(id: contact.id, accountID: accounts[contact.account].id, emailsByColumn: emails)
        }
    }

    /// The people of an account that activity uses: its contacts with an address, then its people known by domain.
    func contactPeople(of account: Int) -> [Participant] {
        accounts[account].contacts.compactMap { contacts[$0].person }
    }
}
