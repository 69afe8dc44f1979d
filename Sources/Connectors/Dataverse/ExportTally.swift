import Synchronization

/// The running figures of an export, added to by its concurrent batches.
final class ExportTally: Sendable {
    private let report = Mutex(DataverseExport.Report())

    /// Applies `change` and returns the figures after it.
    @discardableResult
    func add(_ change: (inout DataverseExport.Report) -> Void) -> DataverseExport.Report {
        report.withLock { report in
            change(&report)
            return report
        }
    }
}
