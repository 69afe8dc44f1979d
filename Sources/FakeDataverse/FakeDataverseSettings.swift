/// How the fake behaves where the service leaves a choice (not faults: these stay put).
public struct FakeDataverseSettings: Sendable, Equatable {
    /// How a new alternate key's `EntityKeyIndexStatus` moves `Pending` → `InProgress` → `Active`.
    public enum KeyActivation: Sendable, Equatable {
        /// Active when created.
        case immediately
        /// `Pending` on the first read of the key, `InProgress` up to the N-th, `Active` after N reads.
        case afterReads(Int)
        /// `Pending` for the first half of the duration, `InProgress` for the second, then `Active`.
        case afterDelay(Duration)
    }

    /// What a decimal with more decimals than the column's `Precision` gets.
    public enum ExcessDecimals: Sendable, Equatable {
        /// 400 (the strict default).
        case reject
        /// Rounded to the precision.
        case round
    }

    public var keyActivation: KeyActivation = .afterReads(2)
    /// String comparisons in alternate keys and `$filter` ignore case, as Dataverse's `_CI` collations do
    /// (learn.microsoft.com/power-platform/admin/language-collations).
    public var caseInsensitiveStrings = true
    public var excessDecimals: ExcessDecimals = .reject
    /// The largest (and default) page: `Prefer: odata.maxpagesize` above it is capped.
    public var maximumPageSize = 5000
    /// Operations in one `$batch`, change-set parts included.
    public var maximumBatchOperations = 1000

    public init() {}
}
