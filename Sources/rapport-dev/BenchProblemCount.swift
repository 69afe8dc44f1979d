import Synchronization

/// A count that other threads and tasks add to: problems reported from the reader thread, runs published.
final class BenchProblemCount: Sendable {
    private let count = Atomic<Int>(0)
    func add() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
