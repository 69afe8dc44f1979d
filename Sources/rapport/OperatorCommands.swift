import ArgumentParser
import Connectors
import Engagement
import Foundation
import Logging
import Platform

/// `rapport tenant create|list|bootstrap`.
struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant", abstract: "Create and list tenants.", subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a tenant with its own email domains.")
        @Option(help: "The organization's name.") var name: String
        @Option(name: .customLong("domain"), help: "An email domain of the organization (repeat for several).") var domains: [String]

        func run() async throws {
            try await OperatorContext.run { context in
                let tenant = try await context.control.createTenant(name: name, emailDomains: domains, by: context.caller)
                print(tenant.id.uuidString.lowercased())
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tenants.")
        func run() async throws {
            try await OperatorContext.run { context in
                for tenant in try await context.control.listTenants() {
                    print("\(tenant.id.uuidString.lowercased())  \(tenant.name)  \(tenant.emailDomains.joined(separator: ","))")
                }
            }
        }
    }
}

/// `rapport environment create|list`.
struct EnvironmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "environment", abstract: "Create and list environments.", subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an environment in a region (uk, eu, na).")
        @OptionGroup var tenant: TenantOptions
        @Option(help: "The environment's name.") var name: String
        @Option(help: "uk, eu or na; it never changes.") var region: String
        @Option(help: "business_accounts (default) or individual_customers.") var profile = "business_accounts"

        func run() async throws {
            guard let region = Region(rawValue: region) else { throw ValidationError("--region must be uk, eu or na") }
            guard let profile = Environment.ProfileType(rawValue: profile) else {
                throw ValidationError("--profile must be business_accounts or individual_customers")
            }
            try await OperatorContext.run { context in
                let owner = try await context.control.findTenant(tenant.tenant)
                let environment = try await context.runtime.services.platform.createEnvironment(
                    tenant: owner.id, name: name, region: region, profileType: profile, by: context.caller)
                print(environment.id.uuidString.lowercased())
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a tenant's environments.")
        @OptionGroup var tenant: TenantOptions
        func run() async throws {
            try await OperatorContext.run { context in
                let owner = try await context.control.findTenant(tenant.tenant)
                for environment in try await context.control.environments(tenant: owner.id) {
                    print("\(environment.id.uuidString.lowercased())  \(environment.region.rawValue)  \(environment.name)")
                }
            }
        }
    }
}

/// `rapport key create`: a principal (created when new), its role, and a key shown once.
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Create API keys.", subcommands: [Create.self, Operator.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a principal a role and a new API key; prints the key, which is not stored.")
        @OptionGroup var tenant: TenantOptions
        @Option(help: "The principal's email; it is created when new.") var email: String
        @Option(help: "The principal's display name, when new.") var name: String?
        @Option(help: "owner, o365_admin, admin, contributor or viewer.") var role: String
        @Option(help: "The environment, by id or name, for admin, contributor and viewer.") var environment: String?
        @Option(help: "A label for the key.") var label = "cli"

        func run() async throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            try await OperatorContext.run { context in
                let owner = try await context.control.findTenant(tenant.tenant)
                var environmentID: UUID?
                if let environment {
                    environmentID = try await context.control.findEnvironment(tenant: owner.id, environment).id
                }
                let principals = try await context.control.principals(tenant: owner.id)
                var principal = principals.first { $0.email?.lowercased() == email.lowercased() }
                if principal == nil {
                    principal = try await context.control.createPrincipal(
                        tenant: owner.id, displayName: name ?? email, email: email, by: context.caller)
                }
                guard let principal else { return }
                let held = try await context.control.roleAssignments(tenant: owner.id).contains {
                    $0.principalID == principal.id && $0.role == role && $0.environmentID == environmentID
                }
                if !held {
                    _ = try await context.control.assignRole(
                        tenant: owner.id, principal: principal.id, role: role, environment: environmentID,
                        notifyEmail: role == .o365Admin ? email : nil, by: context.caller)
                }
                let (_, key) = try await context.control.createKey(tenant: owner.id, principal: principal.id, name: label, by: context.caller)
                print(key.plaintext)
            }
        }
    }

    struct Operator: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "operator", abstract: "Create a platform operator and its key (for the operator API routes).")
        @Option(help: "The operator's name.") var name: String
        func run() async throws {
            try await OperatorContext.run { context in
                print(try await context.control.createOperator(name: name).key.plaintext)
            }
        }
    }
}

/// `rapport licence set`.
struct LicenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "licence", abstract: "Record a tenant's Office 365 licence.", subcommands: [Set.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record the licence's status, seats and expiry date.")
        @OptionGroup var tenant: TenantOptions
        @Option(help: "active, suspended or expired.") var status: String
        @Option(help: "Licensed seats.") var seats: Int
        @Option(help: "The last valid day, YYYY-MM-DD.") var expires: String

        func run() async throws {
            guard let status = Licence.Status(rawValue: status) else { throw ValidationError("--status must be active, suspended or expired") }
            guard let day = try? Validation.day(expires, field: "--expires") else {
                throw ValidationError("--expires must be a date YYYY-MM-DD from \(Validation.dateYears.lowerBound) to \(Validation.dateYears.upperBound)")
            }
            try await OperatorContext.run { context in
                let owner = try await context.control.findTenant(tenant.tenant)
                let licence = try await context.control.setLicence(tenant: owner.id, status: status, seats: seats, expiresOn: day, by: context.caller)
                print("licence \(licence.status.rawValue), \(licence.seats) seats, until \(expires)")
            }
        }
    }
}

/// `rapport dataverse attach|detach|provision|export`.
struct DataverseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataverse", abstract: "Attach, detach, provision or export to an environment's Dataverse organization.",
        subcommands: [Attach.self, Detach.self, Provision.self, Export.self])

    struct Attach: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Attach (or replace) the Dataverse organization.")
        @OptionGroup var target: EnvironmentOptions
        @Option(help: "The organization URL, https only.") var url: String
        @Option(help: "The organization id (a UUID).") var organizationID: String

        func run() async throws {
            guard let organization = UUID(uuidString: organizationID) else { throw ValidationError("--organization-id must be a UUID") }
            try await OperatorContext.run { context in
                let owner = try await context.control.findTenant(target.tenant)
                let environment = try await context.control.findEnvironment(tenant: owner.id, target.environment)
                _ = try await context.control.attachDataverse(
                    tenant: owner.id, environment: environment.id, organizationURL: url, organizationID: organization, by: context.caller)
                print("attached \(url) to \(environment.name)")
            }
        }
    }

    struct Provision: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create Rapport's tables, columns, lookup and alternate keys in the attached organization (idempotent).")
        @OptionGroup var target: EnvironmentOptions
        func run() async throws {
            try await OperatorContext.run { context in
                let owner = try await context.control.findTenant(target.tenant)
                let environment = try await context.control.findEnvironment(tenant: owner.id, target.environment)
                let connector = DataverseConnector(platform: context.runtime.services.platform, logger: Logger(label: "rapport.dataverse", level: .warning))
                let figures = try await connector.provision(environment)
                print("provisioned: " + figures.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the published result to the attached organization now (what changed since the last export).")
        @OptionGroup var target: EnvironmentOptions
        @Flag(help: "Send every row again, as if nothing had been exported (after the organization was restored, copied or reset).")
        var full = false
        func run() async throws {
            try await OperatorContext.run { context in
                let owner = try await context.control.findTenant(target.tenant)
                let environment = try await context.control.findEnvironment(tenant: owner.id, target.environment)
                let connector = DataverseConnector(platform: context.runtime.services.platform, logger: Logger(label: "rapport.dataverse", level: .warning))
                let figures = try await connector.export(environment, full: full) { _ in }
                print("exported: " + figures.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
        }
    }

    struct Detach: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Detach the Dataverse organization.")
        @OptionGroup var target: EnvironmentOptions
        func run() async throws {
            try await OperatorContext.run { context in
                let owner = try await context.control.findTenant(target.tenant)
                let environment = try await context.control.findEnvironment(tenant: owner.id, target.environment)
                try await context.control.detachDataverse(tenant: owner.id, environment: environment.id, by: context.caller)
                print("detached")
            }
        }
    }
}
