import Engagement
import Foundation

/// An environment's enrichment, as the admin configures it (the seed's wizard).
public struct EnrichmentConfiguration: Sendable, Codable, Equatable {
    public enum Schedule: String, Sendable, Codable, CaseIterable {
        case daily, weekly, monthly, off
    }

    public var name: String
    /// Single addresses to collect from.
    public var addresses: [String]
    /// Groups, by id, mail or display name; they resolve to their (transitive) members.
    public var groups: [String]
    /// The "I agree" acknowledgement; saving requires it.
    public var agreed: Bool
    /// The customer dataset; only business accounts are supported.
    public var dataset: String
    /// The contact column that holds the email address used for matching.
    public var emailField: String
    public var schedule: Schedule
    public var weights: ScoreWeights
    /// Noise rules and exclusions (addresses, domains).
    public var rules: NoiseRules
    /// The aggregation levels each run writes to the attached Dataverse organization (`Year`, `Month`, `Week`).
    public var exportLevels: [String]

    /// The levels a run exports unless told otherwise.
    public static let defaultExportLevels = ["Year", "Month"]
    /// Every aggregation level, in the product's order.
    public static let levels = ["Year", "Month", "Week"]

    public init(
        name: String, addresses: [String], groups: [String], agreed: Bool, dataset: String = "business_accounts",
        emailField: String, schedule: Schedule = .weekly, weights: ScoreWeights = .defaults, rules: NoiseRules = NoiseRules(),
        exportLevels: [String] = EnrichmentConfiguration.defaultExportLevels
    ) {
        self.name = name
        self.addresses = addresses
        self.groups = groups
        self.agreed = agreed
        self.dataset = dataset
        self.emailField = emailField
        self.schedule = schedule
        self.weights = weights
        self.rules = rules
        self.exportLevels = exportLevels
    }
}

/// A selected mailbox with its directory id (the seed's `Office_UserEntity`).
public struct SelectedMailbox: Sendable, Codable, Equatable, Hashable {
    public var address: String
    public var directoryID: String?

    public init(address: String, directoryID: String?) {
        self.address = address
        self.directoryID = directoryID
    }
}

/// Why a configuration was refused: everything wrong with its addresses at once.
public struct ConfigurationRejection: Error, Sendable, Codable, Equatable {
    public var message: String
    /// Distinct addresses the configuration resolved to.
    public var resolvedCount: Int
    public var unknownGroups: [String]
    public var invalidAddresses: [String]
    /// Valid addresses outside the tenant's own domains.
    public var foreignAddresses: [String]
    /// Prerequisite checks that failed, by id.
    public var failedChecks: [String]

    public init(
        message: String, resolvedCount: Int, unknownGroups: [String], invalidAddresses: [String], foreignAddresses: [String],
        failedChecks: [String]
    ) {
        self.message = message
        self.resolvedCount = resolvedCount
        self.unknownGroups = unknownGroups
        self.invalidAddresses = invalidAddresses
        self.foreignAddresses = foreignAddresses
        self.failedChecks = failedChecks
    }
}
