import Engagement
import Foundation

/// Hands batches of activity records from a reader thread to an async consumer, bounded.
///
/// The file parsers call back synchronously; they run on their own thread and
/// block when `capacity` batches wait, so a large mbox streams through in
/// constant memory without blocking Swift's cooperative pool.
/// `@unchecked`: the producer thread blocks on an `NSCondition` (a `Mutex` cannot wait), which guards every field.
final class RecordBatchChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [[ActivityRecord]] = []
    private var finished = false
    private var failure: Error?
    private var consumer: CheckedContinuation<[ActivityRecord]?, Error>?
    private let capacity: Int

    init(capacity: Int = 4) {
        self.capacity = capacity
    }

    /// Called on the producer thread; blocks while the channel is full.
    func send(_ batch: [ActivityRecord]) {
        condition.lock()
        while batches.count >= capacity && consumer == nil && !finished {
            condition.wait()
        }
        if finished {
            condition.unlock()
            return
        }
        if let waiting = consumer {
            consumer = nil
            condition.unlock()
            waiting.resume(returning: batch)
            return
        }
        batches.append(batch)
        condition.unlock()
    }

    /// Ends the stream; `error` ends it with a failure.
    func finish(_ error: Error? = nil) {
        condition.lock()
        finished = true
        failure = error
        let waiting = consumer
        consumer = nil
        condition.broadcast()
        condition.unlock()
        if let waiting {
            if let error { waiting.resume(throwing: error) } else { waiting.resume(returning: nil) }
        }
    }

    /// The next batch, or nil at the end.
    func next() async throws -> [ActivityRecord]? {
        try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            if !batches.isEmpty {
                let batch = batches.removeFirst()
                condition.signal()
                condition.unlock()
                continuation.resume(returning: batch)
            } else if finished {
                let error = failure
                condition.unlock()
                if let error { continuation.resume(throwing: error) } else { continuation.resume(returning: nil) }
            } else {
                consumer = continuation
                condition.signal()
                condition.unlock()
            }
        }
    }

    /// Stops the producer early (the consumer gave up); later sends are dropped.
    func cancel() {
        condition.lock()
        finished = true
        batches.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
