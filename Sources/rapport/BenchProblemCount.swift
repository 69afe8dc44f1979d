import Foundation

/// Counts problems reported from the reader thread.
final class BenchProblemCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
