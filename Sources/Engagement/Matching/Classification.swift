/// What classification made of one email or meeting: its signals (one per account), or the rule that skipped it.
public enum Classification<Signal: Sendable & Hashable>: Sendable, Hashable {
    case signals([Signal])
    case skipped(NoiseRule)
}
