import Foundation

/// A count that other threads and tasks add to: problems reported from the reader thread, runs published.
final class BenchProblemCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
