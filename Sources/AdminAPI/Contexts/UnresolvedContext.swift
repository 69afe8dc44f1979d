/// A child context built where its group's middleware did not run: a routing mistake, answered as a 500.
struct UnresolvedContext: Error {
    /// What the parent context lacked.
    let what: String
}
