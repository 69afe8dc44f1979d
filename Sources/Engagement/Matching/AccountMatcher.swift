/// Decides, for one environment, whether an address is ours (internal, selected) or an account's.
///
/// The rules, their order and the tie rule are in docs/matching.md. In short:
/// internal (own domains and their subdomains, and the selected addresses)
/// first, never an account; then the account of the contact carrying the
/// address; then the account listing the address's domain or its most
/// specific parent, the lowest account id (UTF-8 byte order) on a tie.
/// Free-mail domains never match by domain. Addresses are compared trimmed and
/// lowercased; plus-addressing is kept as written.
public struct AccountMatcher: Sendable {
    private let internalDomains: DomainSet
    private let selectedAddresses: Set<String>
    /// Set by `treatingInternalAsSelected()`: every internal address counts as selected.
    private var selectsAllInternal = false
    /// Domain → the account id that wins it.
    private let accountByDomain: [String: String]
    private let contactAccount: @Sendable (String) -> String?
    /// The free-mail and ISP domains that never match by domain.
    public let freeMailDomains: FreeMailDomains

    /// Builds the matcher of an environment.
    ///
    /// - Parameters:
    ///   - internalDomains: the organization's own domains; their subdomains are internal too.
    ///   - selectedAddresses: the selected (collected) addresses, resolved from groups.
    ///   - accounts: the business accounts with their web domains; free-mail domains among them are ignored.
    ///   - contactAccount: the account id of the contact carrying a normalized lowercase address, or nil
    ///     (an empty id counts as nil). Called once per distinct address of a message.
    ///   - freeMailDomains: the domains that never match by domain.
    public init(
        internalDomains: [String], selectedAddresses: Set<String>, accounts: [BusinessAccount],
        contactAccount: @escaping @Sendable (String) -> String?, freeMailDomains: FreeMailDomains = .bundled
    ) {
        self.internalDomains = DomainSet(internalDomains)
        self.selectedAddresses = Set(selectedAddresses.map(EmailAddress.normalize).filter { !$0.isEmpty })
        self.contactAccount = contactAccount
        self.freeMailDomains = freeMailDomains
        var byDomain: [String: String] = [:]
        for account in accounts {
            for raw in account.domains {
                let domain = DomainName.normalize(raw)
                guard domain.contains("."), !freeMailDomains.contains(domain) else { continue }
                if let current = byDomain[domain], !ByteOrder.less(account.id, current) { continue }
                byDomain[domain] = account.id
            }
        }
        accountByDomain = byDomain
    }

    /// The account the address belongs to, or nil (internal, free-mail without a contact, or unknown).
    public func account(of address: String) -> AccountAttribution? {
        let normalized = EmailAddress.normalize(address)
        guard !normalized.isEmpty, !isInternal(normalized: normalized) else { return nil }
        if let accountID = contactAccount(normalized), !accountID.isEmpty {
            return AccountAttribution(accountID: accountID, via: .contact)
        }
        guard let domain = EmailAddress.domain(of: normalized), !freeMailDomains.contains(domain) else { return nil }
        for candidate in DomainName.selfAndParents(domain) {
            let key = String(candidate)
            if let accountID = accountByDomain[key] {
                return AccountAttribution(accountID: accountID, via: .domain(key))
            }
        }
        return nil
    }

    /// True for a selected address and for any address at an internal domain or its subdomains.
    public func isInternal(_ address: String) -> Bool {
        isInternal(normalized: EmailAddress.normalize(address))
    }

    /// True for one of the selected addresses (compared lowercase).
    public func isSelected(_ address: String) -> Bool {
        let normalized = EmailAddress.normalize(address)
        return selectsAllInternal ? isInternal(normalized: normalized) : selectedAddresses.contains(normalized)
    }

    /// The same matcher, with every internal address counted as selected.
    ///
    /// For activity imported before an enrichment selects mailboxes: then all
    /// of the organization's addresses stand for it.
    public func treatingInternalAsSelected() -> AccountMatcher {
        var copy = self
        copy.selectsAllInternal = true
        return copy
    }

    private func isInternal(normalized: String) -> Bool {
        selectedAddresses.contains(normalized) || internalDomains.covers(address: normalized)
    }
}
