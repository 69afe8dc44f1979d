import Engagement

/// The generated activity as `ActivityRecord`s, generated lazily one chunk at a time.
///
/// Both a `Sequence` and an `AsyncSequence` (whose iterator never suspends),
/// so a benchmark can feed millions of records to an importer without files.
public struct ActivityRecords: Sequence, AsyncSequence, Sendable {
    public typealias Element = ActivityRecord
    public typealias Failure = Never

    let generator: ActivityGenerator

    public struct Iterator: IteratorProtocol, AsyncIteratorProtocol {
        let generator: ActivityGenerator
        var nextChunk = 0
        var buffer: [ActivityRecord] = []
        var position = 0

        public mutating func next() -> ActivityRecord? {
            nextRecord()
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async -> ActivityRecord? {
            nextRecord()
        }

        mutating func nextRecord() -> ActivityRecord? {
            while position == buffer.count {
                guard nextChunk < generator.chunkCount else { return nil }
                let chunk = generator.chunk(nextChunk)
                nextChunk += 1
                buffer.removeAll(keepingCapacity: true)
                position = 0
                for email in chunk.emails { buffer.append(.email(email.record)) }
                for event in chunk.events {
                    for meeting in event.records { buffer.append(.meeting(meeting)) }
                }
            }
            defer { position += 1 }
            return buffer[position]
        }
    }

    public func makeIterator() -> Iterator { Iterator(generator: generator) }
    public func makeAsyncIterator() -> Iterator { Iterator(generator: generator) }
}
