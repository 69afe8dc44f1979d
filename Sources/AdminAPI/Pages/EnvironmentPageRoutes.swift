import Foundation
import Hummingbird
import Platform

/// An environment's overview with Run now, the configuration wizard, the runs and each run's progress.
struct EnvironmentPageRoutes {
    let platform: Platform
    let renderer: PageRenderer

    /// The configuration form's fields.
    struct ConfigureForm: Decodable {
        var name: String?
        var addresses: String?
        var groups: String?
        var agreed: String?
        var dataset: String?
        var emailField: String?
        var schedule: String?

        enum CodingKeys: String, CodingKey {
            case name, addresses, groups, agreed, dataset, schedule
            case emailField = "email_field"
        }

        /// The text of `field` split into its lines (or comma-separated items), trimmed, blanks dropped.
        static func lines(_ field: String?) -> [String] {
            (field ?? "").split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "," })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }

        var configuration: EnrichmentConfiguration {
            EnrichmentConfiguration(
                name: name ?? "", addresses: Self.lines(addresses), groups: Self.lines(groups), agreed: agreed == "true",
                dataset: dataset ?? "business_accounts", emailField: emailField ?? "",
                schedule: EnrichmentConfiguration.Schedule(rawValue: schedule ?? "") ?? .weekly)
        }
    }

    func register(on environment: RouterGroup<PageEnvironmentRequestContext>) {
        environment.get(use: overview)
        environment.post("run", use: runNow)
        environment.get("configure", use: configurePage)
        environment.post("configure", use: configure)
        environment.get("runs", use: runs)
        environment.get("runs/{run}", use: progress)
    }

    @Sendable func overview(_ request: Request, context: PageEnvironmentRequestContext) async throws -> Response {
        let environment = context.environment
        let checks = try await platform.prerequisites.check(
            tenant: context.tenantID, environment: environment.id, caller: context.caller, at: platform.now())
        let stored = try await platform.enrichments.configuration(tenant: context.tenantID, environment: environment.id)
        let consent = try await platform.consent.state(tenant: context.tenantID)
        let active = try await platform.runs.active(tenant: context.tenantID, environment: environment.id)
        let view = OverviewPage(
            environmentName: environment.name, region: environment.region.displayName, environmentID: context.environmentID,
            checks: checks.map(OverviewPage.Check.init), consent: consent.status.rawValue, consentDetail: consent.reason,
            nextRun: stored?.nextRunAt.map(PageFormat.time) ?? "none",
            canRun: context.may(.administerEnvironment) && stored != nil && consent.isGranted && active == nil, csrf: context.session.csrf,
            configured: stored.map {
                OverviewPage.Configured(name: $0.configuration.name, mailboxes: $0.mailboxCount, schedule: $0.configuration.schedule.rawValue)
            },
            activeRun: active.map { OverviewPage.ActiveRun(id: $0.id.uuidString.lowercased(), status: $0.status.rawValue) })
        let notice = request.uri.queryParameters.get("notice")
        return renderer.page(view, title: environment.name, chrome: PageChrome(context.session, environment: environment, notice: notice))
    }

    @Sendable func runNow(_ request: Request, context: PageEnvironmentRequestContext) async throws -> Response {
        do {
            let run = try await platform.runNow(tenant: context.tenantID, environment: context.environment.id, by: context.caller)
            return PageRenderer.redirect("/ui/environments/\(context.environmentID)/runs/\(run.id.uuidString.lowercased())")
        } catch let error as ServiceError {
            return PageRenderer.redirect("/ui/environments/\(context.environmentID)?notice=\(PageFormat.query(error.message))")
        }
    }

    @Sendable func configurePage(_ request: Request, context: PageEnvironmentRequestContext) async throws -> Response {
        let stored = try await platform.enrichments.configuration(tenant: context.tenantID, environment: context.environment.id)
        return renderConfigure(context, configuration: stored?.configuration, mailboxes: stored?.mailboxCount ?? 0, rejection: nil)
    }

    func renderConfigure(
        _ context: PageEnvironmentRequestContext, configuration: EnrichmentConfiguration?, mailboxes: Int, rejection: ConfigurationRejection?,
        error: String? = nil
    ) -> Response {
        let view = ConfigurePage(
            environment: context.environment, csrf: context.session.csrf, configuration: configuration, mailboxes: mailboxes, rejection: rejection)
        return renderer.page(
            view, title: "Configure", chrome: PageChrome(context.session, environment: context.environment, error: error),
            status: rejection == nil && error == nil ? .ok : .unprocessableContent)
    }

    @Sendable func configure(_ request: Request, context: PageEnvironmentRequestContext) async throws -> Response {
        let configuration = try await PageForm.fields(ConfigureForm.self, from: request).configuration
        let stored = try await platform.enrichments.configuration(tenant: context.tenantID, environment: context.environment.id)
        do {
            let outcome = try await platform.saveEnrichment(
                tenant: context.tenantID, environment: context.environment.id, configuration, by: context.caller)
            let notice = "Saved: \(outcome.enrichment.mailboxCount) mailboxes."
                + (outcome.consentRequested ? " Consent was requested from the Office 365 administrator." : "")
            return PageRenderer.redirect("/ui/environments/\(context.environmentID)?notice=\(PageFormat.query(notice))")
        } catch let rejection as ConfigurationRejection {
            return renderConfigure(context, configuration: configuration, mailboxes: stored?.mailboxCount ?? 0, rejection: rejection)
        } catch let error as ServiceError {
            return renderConfigure(
                context, configuration: configuration, mailboxes: stored?.mailboxCount ?? 0, rejection: nil,
                error: error.field.map { "\($0): \(error.message)" } ?? error.message)
        }
    }

    @Sendable func runs(_ request: Request, context: PageEnvironmentRequestContext) async throws -> Response {
        let runs = try await platform.runs.runs(tenant: context.tenantID, environment: context.environment.id)
        let view = RunsPage(environmentName: context.environment.name, environmentID: context.environmentID, runs: runs.map(RunsPage.Row.init))
        return renderer.page(view, title: "Runs", chrome: PageChrome(context.session, environment: context.environment))
    }

    @Sendable func progress(_ request: Request, context: PageEnvironmentRequestContext) async throws -> Response {
        guard let text = context.parameters.get("run"), let id = UUID(uuidString: text),
            let run = try await platform.runs.run(tenant: context.tenantID, id: id), run.environmentID == context.environment.id
        else { return renderer.notFound(context.session) }
        let view = ProgressPage(run, readings: try await platform.graphReadings(tenant: context.tenantID, run: run))
        return renderer.page(
            view, title: "Run progress",
            chrome: PageChrome(context.session, environment: context.environment, refresh: view.refreshing ? 3 : nil))
    }
}
