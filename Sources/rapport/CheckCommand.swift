import AdminAPI
import ArgumentParser
import Foundation
import Platform

/// `rapport check`: the prerequisite checklist; exit 0 when all pass, 1 when any fails, 2 on errors.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check an environment's prerequisites (exit 0 all pass, 1 any fails, 2 usage or connection error).")

    @OptionGroup var target: EnvironmentOptions
    @Option(help: "Check for the principal of this API key (default: RAPPORT_API_KEY; without one, the admin check passes when anyone holds admin).")
    var key: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        var failed = false
        try await OperatorContext.run { context in
            let tenant = try await context.control.findTenant(target.tenant)
            let environment = try await context.control.findEnvironment(tenant: tenant.id, target.environment)
            let presented = key ?? ProcessInfo.processInfo.environment["RAPPORT_API_KEY"]
            let caller: Caller
            if let presented {
                caller = try await context.control.authenticate(presented)
                guard caller.belongs(to: tenant.id) else { throw ServiceError(.forbidden, "the key is not of tenant \(tenant.name)") }
            } else {
                // No key: stand in for whoever administers the environment.
                let grants = try await context.control.roleAssignments(tenant: tenant.id)
                    .filter { $0.role == .owner || ($0.role == .admin && $0.environmentID == environment.id) }
                    .map { RoleGrant(role: $0.role, environmentID: $0.environmentID) }
                caller = Caller(identity: .principal(tenantID: tenant.id, principalID: UUID()), keyID: Caller.systemKeyID, roles: grants)
            }
            let platform = context.runtime.services.platform
            let results = try await platform.prerequisites.check(
                tenant: tenant.id, environment: environment.id, caller: caller, at: platform.now())
            failed = results.contains { $0.status == .failed }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.keyEncodingStrategy = .convertToSnakeCase
                print(String(decoding: try encoder.encode(["checks": results]), as: UTF8.self))
            } else {
                print("Prerequisites of \(tenant.name) / \(environment.name) (\(environment.region.rawValue))")
                for result in results {
                    print("  [\(result.status == .passed ? "pass" : "FAIL")] \(result.id): \(result.detail)")
                    if result.status == .failed { print("         remedy: \(result.remedy)") }
                }
            }
        }
        if failed { throw ExitCode(1) }
    }
}
