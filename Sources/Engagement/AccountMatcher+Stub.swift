// TEMPORARY until the matcher lands.
extension AccountMatcher {
    public func treatingInternalAsSelected() -> AccountMatcher { fatalError("stub") }
}
