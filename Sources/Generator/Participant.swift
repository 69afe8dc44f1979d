/// A person (or mailbox) in the generated world: an address, a display name, and who they are.
public struct Participant: Sendable, Hashable {
    /// Who a participant is for the matching rules, as the generator intends it.
    public enum Role: Sendable, Hashable {
        /// One of the selected mailboxes (index into `SyntheticOrganization.mailboxes`).
        case selected(Int)
        /// An internal colleague whose mailbox is not selected.
        case colleague
        /// A person of a business account (index into `SyntheticOrganization.accounts`), by contact or by domain.
        case account(Int)
        /// Nobody's: a stranger, a vendor, free-mail without a contact.
        case nobody
    }

    /// Lowercase `local@domain`.
    public var address: String
    public var name: String
    public var role: Role
    /// A meeting room (CUTYPE=ROOM): never a person.
    public var isRoom: Bool

    public init(address: String, name: String, role: Role, isRoom: Bool = false) {
        self.address = address
        self.name = name
        self.role = role
        self.isRoom = isRoom
    }

    public var isSelected: Bool {
        if case .selected = role { return true }
        return false
    }

    public var isInternal: Bool {
        switch role {
        case .selected, .colleague: return true
        default: return false
        }
    }

    public var accountIndex: Int? {
        if case .account(let index) = role { return index }
        return nil
    }

    public var mailboxIndex: Int? {
        if case .selected(let index) = role { return index }
        return nil
    }

    var domain: Substring {
        address[address.index(after: address.lastIndex(of: "@")!)...]
    }
}
