import AsyncHTTPClient
import Foundation
import Ingest
import Logging
import NIOCore
import Platform
import ServiceLifecycle

/// Writes an environment's published results to its attached Dataverse organization, with the tenant's Entra app.
///
/// Serves environments with a current Dataverse attachment whose tenant has an
/// app registration (the one the Graph connector uses): the token's scope is
/// `https://{organization host}/.default`. `provision` makes Rapport's two tables
/// ready; `export` writes what changed since the last export; `reachability`
/// answers the `dataverse_reachable` check with `WhoAmI` and a read that needs a security role.
public struct DataverseConnector: Sendable {
    let platform: Platform
    let logger: Logger
    let owner: HTTPClientOwner
    let sessions = GraphSessions()
    /// How often provisioning reads a new key's status while its index builds.
    let keyPollInterval: Duration

    public init(platform: Platform, logger: Logger, keyPollInterval: Duration = .seconds(2)) {
        self.platform = platform
        self.logger = logger
        self.keyPollInterval = keyPollInterval
        let settings = platform.dataverse
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(10), read: settings.requestTimeout.timeAmount)
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, min(52, settings.maximumConcurrency)))
        configuration.decompression = .enabled(limit: .none)
        self.owner = HTTPClientOwner(HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration))
    }

    var settings: DataverseSettings { platform.dataverse }

    /// Closes the HTTP connections; call once when the process stops exporting.
    public func shutdown() async throws {
        try await owner.client.shutdown()
    }

    /// The environment's current attachment, when it has one and its tenant has an app registration.
    public func serves(_ environment: ControlStore.Environment) async throws -> Bool {
        guard try await attachment(of: environment) != nil else { return false }
        return try await platform.graphRegistrations.registration(tenant: environment.tenantID) != nil
    }

    /// Makes Rapport's tables ready in the environment's organization; returns what was found or made.
    public func provision(_ environment: ControlStore.Environment) async throws -> [String: Int] {
        let session = try await session(for: environment, statistics: DataverseStatistics())
        var figures: [String: Int] = [:]
        for table in [DataverseTableDefinition.accountEngagement(prefix: settings.publisherPrefix), .officeUser(prefix: settings.publisherPrefix)] {
            let outcome = try await session.provisioner.ensure(table)
            figures["tables_created", default: 0] += outcome.createdTable ? 1 : 0
            figures["columns_created", default: 0] += outcome.createdColumns
            figures["lookups_created", default: 0] += outcome.createdLookup ? 1 : 0
            figures["keys_created", default: 0] += outcome.createdKey ? 1 : 0
        }
        return figures
    }

    /// Exports the environment's published result (the levels its configuration names) and its selected
    /// mailboxes' directory ids; `progress` hears the figures after every batch. Returns the step's figures.
    public func export(
        _ environment: ControlStore.Environment, full: Bool, progress: @escaping @Sendable ([String: Int]) async -> Void
    ) async throws -> [String: Int] {
        let statistics = DataverseStatistics()
        let session = try await session(for: environment, statistics: statistics)
        let scope = try platform.scope(for: environment)
        if full { try await scope.dataverseExport.forgetAll(organization: session.attachment.organizationID) }
        guard let run = try await scope.dataverseExport.currentRun() else { return ["rows_sent": 0] }
        let prefix = settings.publisherPrefix
        let engagement = DataverseTableDefinition.accountEngagement(prefix: prefix)
        let officeUser = DataverseTableDefinition.officeUser(prefix: prefix)
        let engagementSet = try await session.provisioner.ensure(engagement).entitySet
        let officeUserSet = try await session.provisioner.ensure(officeUser).entitySet
        let stored = try await platform.enrichments.configuration(tenant: environment.tenantID, environment: environment.id)
        let levels = stored?.configuration.exportLevels ?? EnrichmentConfiguration.defaultExportLevels
        let directoryIDs = try await platform.enrichments.mailboxes(tenant: environment.tenantID, environment: environment.id).compactMap(\.directoryID)
        let export = DataverseExport(
            client: session.client, store: scope.dataverseExport, organizationID: session.attachment.organizationID, prefix: prefix,
            batchSize: max(1, min(1000, settings.batchSize)), logger: logger)
        let report = try await export.run(
            run: run, levels: levels, engagement: engagement, engagementSet: engagementSet, officeUser: officeUser, officeUserSet: officeUserSet,
            directoryIDs: directoryIDs
        ) { report in
            await progress(report.figures(statistics.current))
        }
        var figures = report.figures(statistics.current)
        figures["organization_rows"] = try await scope.dataverseExport.exportedCount(organization: session.attachment.organizationID)
        return figures
    }

    struct Session: Sendable {
        var attachment: DataverseAttachment
        var client: DataverseClient
        var provisioner: DataverseProvisioner
    }

    func attachment(of environment: ControlStore.Environment) async throws -> DataverseAttachment? {
        try await platform.control.dataverseHistory(tenant: environment.tenantID, environment: environment.id).first { $0.detachedAt == nil }
    }

    /// The client of the environment's organization (its current attachment unless given), signed in with its tenant's app;
    /// refuses an organization outside the region.
    func session(for environment: ControlStore.Environment, attachment given: DataverseAttachment? = nil, statistics: DataverseStatistics) async throws -> Session {
        var current = given
        if current == nil { current = try await attachment(of: environment) }
        guard let attachment = current else {
            throw DataverseError(.refused, "no Dataverse organization is attached to the environment")
        }
        let organization: DataverseOrganizationURL
        do {
            organization = try DataverseOrganizationURL(attachment.organizationURL)
            try organization.requireRegion(environment.region)
        } catch let error as ServiceError {
            throw DataverseError(.refused, error.message)
        }
        guard let credentials = try await platform.graphRegistrations.credentials(tenant: environment.tenantID) else {
            throw DataverseError(.refused, "the tenant has no Entra app registration (PUT /v1/tenants/{tenant}/graph); Dataverse is reached with it")
        }
        let resource = TokenResource.dataverse(organization, loginBase: settings.loginURL.map { _ in settings.loginBase(for: credentials.registration.cloud) })
        let tokens = await sessions.tokens(
            for: credentials, settings: platform.graph, resource: resource, http: owner.client, now: platform.now, logger: logger)
        let client = DataverseClient(
            organization: organization, http: owner.client, tokens: tokens, settings: settings, clientID: credentials.registration.clientID,
            statistics: statistics, logger: logger)
        let provisioner = DataverseProvisioner(
            client: client, keyActivationTimeout: settings.keyActivationTimeout, pollInterval: keyPollInterval, logger: logger)
        return Session(attachment: attachment, client: client, provisioner: provisioner)
    }
}

extension DataverseConnector: DataverseProbe {
    public func reachability(of environment: ControlStore.Environment, attachment: DataverseAttachment) async -> PrerequisiteResult {
        let remedyMembership =
            "In the Power Platform admin center, open the environment → Settings → Users + permissions → Application users, add the tenant's Entra app and give it a security role that may create tables and write their rows (for example System Customizer)."
        do {
            let session = try await session(for: environment, attachment: attachment, statistics: DataverseStatistics())
            let response = try await session.client.require(.GET, "WhoAmI")
            let object = (try? JSONParser.parse(response.body))?.objectValue
            let organizationID = object?["OrganizationId"]?.stringValue.flatMap(UUID.init(uuidString:))
            if let organizationID, organizationID != attachment.organizationID {
                return PrerequisiteResult(
                    id: "dataverse_reachable", status: .failed,
                    detail: "\(attachment.organizationURL) answers as organization \(organizationID.uuidString.lowercased()), not \(attachment.organizationID.uuidString.lowercased())",
                    remedy: "Attach the environment again with the organization id its URL answers with.")
            }
            // WhoAmI answers any application user; a read of a table definition needs a security role.
            _ = try await session.client.require(.GET, "EntityDefinitions(LogicalName='account')?$select=LogicalName")
            return PrerequisiteResult(
                id: "dataverse_reachable", status: .passed, detail: "the app signs in to \(attachment.organizationURL) as an application user", remedy: "")
        } catch let error as DataverseError {
            let remedy: String
            switch error.code?.lowercased() {
            case "0x80072560", "0x80042f09": remedy = remedyMembership
            default:
                remedy = error.kind == .unavailable
                    ? "Dataverse did not answer; the check runs again before each export."
                    : "Check the organization URL, the tenant's app registration (PUT /v1/tenants/{tenant}/graph) and the app's application user in the organization."
            }
            return PrerequisiteResult(id: "dataverse_reachable", status: .failed, detail: error.message, remedy: remedy)
        } catch {
            return PrerequisiteResult(id: "dataverse_reachable", status: .failed, detail: "\(error)", remedy: remedyMembership)
        }
    }
}

extension DataverseConnector: Service {
    public func run() async throws {
        try? await gracefulShutdown()
        try? await shutdown()
    }
}
