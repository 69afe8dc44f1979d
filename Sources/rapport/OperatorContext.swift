import AdminAPI
import ArgumentParser
import Foundation
import Logging
import Postgres
import Platform

/// What the operator commands share: settings, stores, and the local operator they act as.
struct OperatorContext {
    let runtime: AppRuntime
    let caller: Caller

    var control: TenantStore { runtime.services.platform.control }

    /// Connects to the configured (or local) databases; the schema must be migrated.
    static func open() async throws -> OperatorContext {
        let settings = try await AppSettings.load()
        let logger = Logger(label: "rapport", level: .warning)
        let runtime = try await AppRuntime.open(settings, logger: logger)
        let operatorID = try await runtime.services.platform.control.localOperator(named: "rapport-cli")
        return OperatorContext(runtime: runtime, caller: .localOperator(operatorID))
    }

    func close() async { await runtime.shutdown() }

    /// Runs `body`, turning store and database errors into one line on stderr and exit status 2.
    static func run(_ body: (OperatorContext) async throws -> Void) async throws {
        let context: OperatorContext
        do {
            context = try await open()
        } catch {
            fail(describe(error))
        }
        do {
            try await body(context)
            await context.close()
        } catch let exit as ExitCode {
            await context.close()
            throw exit
        } catch {
            await context.close()
            fail(describe(error))
        }
    }

    /// The value of `body`; a `ServiceError` (a file that cannot be read, a bad row) ends the command with status 2.
    static func orFail<Value>(_ body: () throws -> Value) throws -> Value {
        do {
            return try body()
        } catch let error as ServiceError {
            fail(describe(error))
        }
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case let error as ServiceError:
            return error.field.map { "\($0): \(error.message)" } ?? error.message
        case let error as PostgresError where error.sqlState == "42P01":
            return "the database schema is missing; run `rapport migrate` first"
        default:
            return "\(error)"
        }
    }
}

/// `--tenant` and `--environment`, by id or name.
struct TenantOptions: ParsableArguments {
    @Option(help: "The tenant, by id or name.") var tenant: String
}

struct EnvironmentOptions: ParsableArguments {
    @Option(help: "The tenant, by id or name.") var tenant: String
    @Option(help: "The environment, by id or name.") var environment: String
}
