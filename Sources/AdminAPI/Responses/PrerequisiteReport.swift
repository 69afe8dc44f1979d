import Platform

/// The prerequisite checks with whether all passed.
struct PrerequisiteReport: Encodable {
    var checks: [PrerequisiteResult]
    var passed: Bool

    init(checks: [PrerequisiteResult]) {
        self.checks = checks
        passed = checks.allSatisfy { $0.status == .passed }
    }
}
