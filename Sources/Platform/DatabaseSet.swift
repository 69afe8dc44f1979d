import Engagement
import Foundation
import Logging
import RegionStore
import Postgres

/// The connection strings of the control database and of each region's database.
///
/// Each comes from its own setting (`RAPPORT_CONTROL_DATABASE_URL`,
/// `RAPPORT_UK_DATABASE_URL`, `RAPPORT_EU_DATABASE_URL`, `RAPPORT_NA_DATABASE_URL`).
/// When none is set, all four are databases of the self-started local cluster:
/// `rapport_control`, `rapport_uk`, `rapport_eu`, `rapport_na`.
public struct DatabaseSet: Sendable, Equatable {
    public var control: String
    public var regions: [Region: String]

    public init(control: String, regions: [Region: String]) {
        self.control = control
        self.regions = regions
    }

    /// The database names the local cluster holds.
    public static let localControlName = "rapport_control"
    public static func localName(of region: Region) -> String { "rapport_\(region.rawValue)" }

    /// The set on the local cluster.
    public static func local(_ cluster: LocalCluster) -> DatabaseSet {
        DatabaseSet(
            control: cluster.connectionString(database: localControlName),
            regions: Dictionary(uniqueKeysWithValues: Region.allCases.map { ($0, cluster.connectionString(database: localName(of: $0))) }))
    }

    /// The configured URLs, or `nil` when none is configured (the local cluster is used).
    ///
    /// Configuring some but not all of them is an error naming the missing settings.
    public static func configured(_ settings: [String: String]) throws -> DatabaseSet? {
        func value(_ key: String) -> String? {
            guard let text = settings[key]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        let control = value("RAPPORT_CONTROL_DATABASE_URL")
        var regions: [Region: String] = [:]
        for region in Region.allCases {
            regions[region] = value(urlKey(of: region))
        }
        if control == nil && regions.isEmpty { return nil }
        let missing = ([control == nil ? "RAPPORT_CONTROL_DATABASE_URL" : nil]
            + Region.allCases.map { regions[$0] == nil ? urlKey(of: $0) : nil }).compactMap { $0 }
        guard missing.isEmpty, let control else {
            throw PostgresError(
                code: .connectionFailed,
                message: "database URLs are configured only in part; also set \(missing.joined(separator: ", ")) (or none, to use the local cluster)")
        }
        return DatabaseSet(control: control, regions: regions)
    }

    /// The setting that names a region's database.
    public static func urlKey(of region: Region) -> String { RegionDatabase.urlKey(of: region) }

    /// Starts the local cluster when needed and creates its four databases.
    public static func startLocal(_ cluster: LocalCluster) async throws -> DatabaseSet {
        try cluster.initialize()
        try cluster.start()
        try await cluster.createDatabases([localControlName] + Region.allCases.map(localName(of:)))
        return local(cluster)
    }
}

extension RegionDatabases {
    /// The pools of the set's region databases.
    public init(_ databases: DatabaseSet, maximumConnections: Int = 10, logger: Logger = Logger(label: "rapport.region")) {
        self.init(urls: databases.regions, maximumConnections: maximumConnections, logger: logger)
    }
}
