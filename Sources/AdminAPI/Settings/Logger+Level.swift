import Logging

extension Logger {
    /// A logger at `level` (the `log.level` setting).
    public init(label: String, level: Logger.Level) {
        self.init(label: label)
        logLevel = level
    }
}
