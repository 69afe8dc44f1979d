/// What the matcher says about each participant of one email or meeting, asked once per address.
struct ParticipantIndex {
    private var selected: Set<String> = []
    private var internalAddresses: Set<String> = []
    private var accounts: [String: String] = [:]

    /// Looks up every address (already normalized) through the matcher.
    init<S: Sequence<String>>(matcher: AccountMatcher, addresses: S) {
        var seen = Set<String>()
        for address in addresses where seen.insert(address).inserted {
            if matcher.isSelected(address) { selected.insert(address) }
            if matcher.isInternal(address) {
                internalAddresses.insert(address)
            } else if let attribution = matcher.account(of: address) {
                accounts[address] = attribution.accountID
            }
        }
    }

    func isSelected(_ address: String) -> Bool { selected.contains(address) }

    func isInternal(_ address: String) -> Bool { internalAddresses.contains(address) }

    /// The account id of an external address, or nil.
    func account(of address: String) -> String? { accounts[address] }
}
