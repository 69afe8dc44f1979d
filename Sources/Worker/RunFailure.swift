/// Why a run step failed, and whether trying again could help.
public struct RunFailure: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// False for failures that another attempt cannot fix (prerequisites, consent, wrong region).
    public var retryable: Bool

    public init(_ message: String, retryable: Bool) {
        self.message = message
        self.retryable = retryable
    }

    public var description: String { message }
}
