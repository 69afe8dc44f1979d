import Foundation

/// A dedicated OS thread that runs one connection's blocking libpq calls in order.
///
/// libpq blocks in `poll`, `connect` and `send`; none of that may happen on Swift's
/// cooperative pool. Every `PGconn` is touched only inside closures run here, so a
/// connection is used by one caller at a time and its calls never interleave.
/// `@unchecked`: the thread sleeps on an `NSCondition` (a `Mutex` cannot wait), which guards the job queue.
final class ConnectionThread: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var jobIndex = 0
    private var stopping = false

    init(name: String) {
        // The thread holds `self` until `shutdown()` lets its loop end.
        let thread = Thread { self.loop() }
        thread.name = name
        thread.start()
    }

    /// Runs `body` on the thread and returns its result to the awaiting task.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            submit {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    /// Queues a closure; jobs submitted after `shutdown()` still run before the thread ends.
    func submit(_ job: @escaping () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread finish its queued jobs and exit.
    func shutdown() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobIndex == jobs.count && !stopping {
                condition.wait()
            }
            if jobIndex == jobs.count && stopping {
                jobs.removeAll()
                condition.unlock()
                break
            }
            let job = jobs[jobIndex]
            jobIndex += 1
            if jobIndex == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                jobIndex = 0
            }
            condition.unlock()
            job()
        }
    }
}
