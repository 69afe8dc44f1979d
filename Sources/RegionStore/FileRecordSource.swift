import Engagement
import Foundation
import Ingest

/// Activity records read from files and folders on a reader thread, handed over in bounded batches.
public struct FileRecordSource: Sendable {
    public let paths: [String]
    public let window: TimeWindow

    public init(paths: [String], window: TimeWindow) {
        self.paths = paths
        self.window = window
    }

    /// Calls `consume` for every record; `problem` receives what could not be read (file, line, field).
    public func forEach(
        problem: @escaping @Sendable (IngestError) -> Void,
        _ consume: (ActivityRecord) async throws -> Void
    ) async throws {
        let channel = RecordBatchChannel()
        let paths = self.paths
        let reader = ActivityFileReader(window: window)
        let thread = Thread {
            var batch: [ActivityRecord] = []
            batch.reserveCapacity(1024)
            for path in paths {
                do throws(IngestError) {
                    try reader.read(
                        path: path,
                        record: { record in
                            batch.append(record)
                            if batch.count == 1024 {
                                channel.send(batch)
                                batch.removeAll(keepingCapacity: true)
                            }
                        },
                        problem: problem)
                } catch {
                    problem(error)
                }
            }
            if !batch.isEmpty { channel.send(batch) }
            channel.finish()
        }
        thread.name = "rapport.file-reader"
        thread.start()
        do {
            while let batch = try await channel.next() {
                for record in batch { try await consume(record) }
            }
        } catch {
            channel.cancel()
            throw error
        }
    }
}
