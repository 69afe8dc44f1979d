import Synchronization

/// Says that the work a statement serves is no longer wanted, for example because its HTTP client went away.
///
/// Set `AbandonmentSignal.current` around the work; a statement running or
/// started while the signal has fired is cancelled with `PQcancel`, as task
/// cancellation does, and fails with `CancellationError`.
public final class AbandonmentSignal: Sendable {
    /// The signal of the work at hand, if any.
    @TaskLocal public static var current: AbandonmentSignal?

    private let fired = Atomic<Bool>(false)

    public init() {}

    public func fire() { fired.store(true, ordering: .releasing) }

    public var isFired: Bool { fired.load(ordering: .acquiring) }
}
