import Engagement
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Platform

/// The web pages: sign-in, environments, overview, configuration, results, customer card, runs, segments, measures.
///
/// Server-rendered with escaping templates, one stylesheet, no script, a
/// strict Content-Security-Policy; every form carries a CSRF token.
struct PageRoutes {
    let services: AppServices
    let renderer = PageRenderer()
    /// Cookies, proxies and limits.
    let options: HTTPOptions

    var platform: Platform { services.platform }
    var secret: [UInt8] { platform.serviceSecret }

    func register(on router: Router<AppRequestContext>) {
        router.get("ui/app.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: Stylesheet.css)))
        }
        router.get("ui/signin", use: signInPage)
        router.post("ui/signin", use: signIn)
        router.post("ui/signout", use: signOut)
        router.get("ui", use: home)
        router.get("ui/environments/{environment}", use: overview)
        router.post("ui/environments/{environment}/run", use: runNow)
        router.get("ui/environments/{environment}/configure", use: configurePage)
        router.post("ui/environments/{environment}/configure", use: configure)
        router.get("ui/environments/{environment}/results", use: results)
        router.get("ui/environments/{environment}/accounts/{account}", use: card)
        router.get("ui/environments/{environment}/runs", use: runs)
        router.get("ui/environments/{environment}/runs/{run}", use: progress)
        router.get("ui/environments/{environment}/segments", use: segments)
        router.post("ui/environments/{environment}/segments", use: createSegment)
        router.get("ui/environments/{environment}/segments/{segment}", use: segment)
        router.get("ui/environments/{environment}/measures", use: measures)
        router.post("ui/environments/{environment}/measures", use: createMeasure)
    }

    // MARK: - Session

    struct Session {
        var id: UUID
        var caller: Caller
        var cookie: String
        var csrf: String
    }

    /// The signed-in caller, or nil (the handler then redirects to sign-in); a database failure is an error, not "signed out".
    func session(_ request: Request) async throws -> Session? {
        guard let cookie = Self.cookie(request, PageSession.cookieName),
            let id = PageSession.verify(cookie, secret: secret, at: platform.now())
        else { return nil }
        let caller: Caller
        do {
            caller = try await platform.control.sessionCaller(session: id)
        } catch let error as ServiceError where error.code == .unauthenticated {
            return nil
        }
        return Session(id: id, caller: caller, cookie: cookie, csrf: PageSession.csrfToken(for: cookie, secret: secret))
    }

    static func cookie(_ request: Request, _ name: String) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0] == name { return String(pair[1]) }
            }
        }
        return nil
    }

    static func form(_ request: Request) async throws -> [String: [String]] {
        let body = try await request.body.collect(upTo: 256 * 1024)
        var fields: [String: [String]] = [:]
        for pair in String(buffer: body).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let key = parts.first else { continue }
            fields[key, default: []].append(parts.count > 1 ? parts[1] : "")
        }
        return fields
    }

    /// The session of a form post whose CSRF token matches; nil otherwise.
    func postSession(_ request: Request, _ fields: [String: [String]]) async throws -> Session? {
        guard let session = try await session(request),
            PageSession.checkCSRF(fields["csrf"]?.first, cookie: session.cookie, secret: secret)
        else { return nil }
        return session
    }

    func chrome(_ session: Session, environment: ControlStore.Environment? = nil, notice: String? = nil, error: String? = nil, refresh: Int? = nil) -> [String: Any] {
        var chrome: [String: Any] = ["signedIn": true, "csrf": session.csrf]
        if let environment { chrome["environment"] = ["id": environment.id.uuidString.lowercased(), "name": environment.name] }
        if let notice { chrome["notice"] = notice }
        if let error { chrome["error"] = error }
        if let refresh { chrome["refresh"] = refresh }
        return chrome
    }

    /// The environment of the path, visible to the session's caller; nil is "not found".
    func environment(_ context: AppRequestContext, _ session: Session) async throws -> ControlStore.Environment? {
        guard let tenant = session.caller.tenantID, let text = context.parameters.get("environment"), let id = UUID(uuidString: text),
            session.caller.canSee(environment: id)
        else { return nil }
        do {
            return try await platform.control.environment(tenant: tenant, id: id)
        } catch let error as ServiceError where error.code == .notFound {
            return nil
        }
    }

    /// The highest `?page=` a list page accepts (25 rows each: 25 million rows).
    static let maximumPage = 1_000_000
    static let pageProblem = "page must be a whole number from 0 to \(maximumPage)."

    /// `?page=N` of a list page; nil when it is malformed or out of range.
    static func pageNumber(_ request: Request) -> Int? {
        guard let text = request.uri.queryParameters.get("page") else { return 0 }
        guard let page = Int(text), (0...maximumPage).contains(page) else { return nil }
        return page
    }

    /// A 400 page that says what was wrong with the request.
    func badPage(_ session: Session, _ problem: String) -> Response {
        renderer.page("home", title: "Bad request", data: ["tenantName": "Bad request"], chrome: chrome(session, error: problem), status: .badRequest)
    }

    func notFound(_ session: Session?) -> Response {
        renderer.page("home", title: "Not found", data: ["tenantName": "Not found"], chrome: session.map { chrome($0, error: "There is no such page for you.") } ?? [:], status: .notFound)
    }

    /// Whether this request reached us over TLS: always when configured so, or as a trusted proxy says.
    func secureCookies(_ request: Request, _ context: AppRequestContext) -> Bool {
        if options.secureCookies { return true }
        guard request.headers[.init("X-Forwarded-Proto")!]?.lowercased() == "https",
            let peer = context.channel.remoteAddress?.ipAddress
        else { return false }
        return options.trustedProxies.contains(peer)
    }

    // MARK: - Sign in and out

    @Sendable func signInPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        // A nonce cookie for the sign-in form's CSRF check (there is no session yet).
        let nonce = UUID().uuidString
        return renderer.page(
            "signin", title: "Sign in", data: ["csrf": PageSession.csrfToken(for: nonce, secret: secret)],
            headers: [.setCookie: PageSession.setCookie(name: "rapport_signin", value: nonce, maxAge: 900, secure: secureCookies(request, context))])
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await Self.form(request)
        guard let nonce = Self.cookie(request, "rapport_signin"),
            PageSession.checkCSRF(fields["csrf"]?.first, cookie: nonce, secret: secret)
        else {
            return renderer.page("signin", title: "Sign in", data: ["csrf": ""], chrome: ["error": "The form expired; reload the page and sign in again."], status: .forbidden)
        }
        let key = fields["key"]?.first?.trimmingCharacters(in: .whitespaces) ?? ""
        let opened: (id: UUID, expiresAt: Date)
        do {
            guard let parsed = APIKey(parsing: key), parsed.kind == .tenant else { throw ServiceError(.unauthenticated, "not a tenant key") }
            opened = try await platform.control.openSession(key: key, lifetime: PageSession.lifetime)
        } catch let error as ServiceError where error.code == .unauthenticated {
            return renderer.page(
                "signin", title: "Sign in", data: ["csrf": PageSession.csrfToken(for: nonce, secret: secret)],
                chrome: ["error": "That key is not valid."], status: .unauthorized)
        }
        let cookie = PageSession.issue(session: opened.id, expiresAt: opened.expiresAt, secret: secret)
        let secure = secureCookies(request, context)
        var headers = HTTPFields()
        headers.append(HTTPField(name: .setCookie, value: PageSession.setCookie(name: PageSession.cookieName, value: cookie, maxAge: Int(PageSession.lifetime), secure: secure)))
        headers.append(HTTPField(name: .setCookie, value: PageSession.setCookie(name: "rapport_signin", value: "", maxAge: 0, secure: secure)))
        return PageRenderer.redirect("/ui", headers: headers)
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await Self.form(request)
        guard let session = try await postSession(request, fields) else { return PageRenderer.redirect("/ui/signin") }
        try await platform.control.endSession(session.id)
        return PageRenderer.redirect(
            "/ui/signin", headers: [.setCookie: PageSession.setCookie(name: PageSession.cookieName, value: "", maxAge: 0, secure: secureCookies(request, context))])
    }

    // MARK: - Pages

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = try await session(request), let tenant = session.caller.tenantID else { return PageRenderer.redirect("/ui/signin") }
        let name = try await platform.control.tenant(tenant).name
        let environments = try await platform.control.environments(tenant: tenant).filter { session.caller.canSee(environment: $0.id) }
        return renderer.page(
            "home", title: name,
            data: [
                "tenantName": name,
                "environments": environments.map { ["id": $0.id.uuidString.lowercased(), "name": $0.name, "region": $0.region.displayName, "profile": $0.profileType.rawValue.replacingOccurrences(of: "_", with: " ")] },
            ], chrome: chrome(session))
    }

    @Sendable func overview(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = try await session(request) else { return PageRenderer.redirect("/ui/signin") }
        guard let environment = try await environment(context, session) else { return notFound(session) }
        let checks = try await platform.prerequisites.check(tenant: environment.tenantID, environment: environment.id, caller: session.caller, at: platform.now())
        let stored = try await platform.enrichments.configuration(tenant: environment.tenantID, environment: environment.id)
        let consent = try await platform.consent.state(tenant: environment.tenantID)
        let active = try await platform.runs.active(tenant: environment.tenantID, environment: environment.id)
        var data: [String: Any] = [
            "environmentName": environment.name, "region": environment.region.displayName, "environmentID": environment.id.uuidString.lowercased(),
            "checks": checks.map { ["id": $0.id, "status": $0.status.rawValue, "cssClass": $0.status == .passed ? "pass" : "fail", "detail": $0.detail, "remedy": $0.remedy] },
            "consent": consent.status.rawValue,
            "nextRun": stored?.nextRunAt.map(Self.time) ?? "none",
            "canRun": session.caller.has(.admin, on: environment.id) && stored != nil && consent.isGranted && active == nil,
            "csrf": session.csrf,
        ]
        if let reason = consent.reason { data["consentDetail"] = reason }
        if let stored {
            data["configured"] = ["name": stored.configuration.name, "mailboxes": stored.mailboxCount, "schedule": stored.configuration.schedule.rawValue, "environmentID": environment.id.uuidString.lowercased()]
        }
        if let active { data["activeRun"] = ["id": active.id.uuidString.lowercased(), "status": active.status.rawValue, "environmentID": environment.id.uuidString.lowercased()] }
        let notice = request.uri.queryParameters.get("notice")
        return renderer.page("overview", title: environment.name, data: data, chrome: chrome(session, environment: environment, notice: notice))
    }

    @Sendable func runNow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await Self.form(request)
        guard let session = try await postSession(request, fields) else { return PageRenderer.redirect("/ui/signin") }
        guard let environment = try await environment(context, session) else { return notFound(session) }
        do {
            let run = try await platform.runNow(tenant: environment.tenantID, environment: environment.id, by: session.caller)
            return PageRenderer.redirect("/ui/environments/\(environment.id.uuidString.lowercased())/runs/\(run.id.uuidString.lowercased())")
        } catch let error as ServiceError {
            return PageRenderer.redirect("/ui/environments/\(environment.id.uuidString.lowercased())?notice=\(Self.query(error.message))")
        }
    }

    @Sendable func configurePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = try await session(request) else { return PageRenderer.redirect("/ui/signin") }
        guard let environment = try await environment(context, session) else { return notFound(session) }
        let stored = try await platform.enrichments.configuration(tenant: environment.tenantID, environment: environment.id)
        return renderConfigure(session, environment, configuration: stored?.configuration, mailboxes: stored?.mailboxCount ?? 0, rejection: nil)
    }

    func renderConfigure(
        _ session: Session, _ environment: ControlStore.Environment, configuration: EnrichmentConfiguration?, mailboxes: Int,
        rejection: ConfigurationRejection?, error: String? = nil
    ) -> Response {
        let schedule = configuration?.schedule ?? .weekly
        var data: [String: Any] = [
            "environmentName": environment.name, "environmentID": environment.id.uuidString.lowercased(), "csrf": session.csrf,
            "addresses": configuration?.addresses.joined(separator: "\n") ?? "", "groups": configuration?.groups.joined(separator: "\n") ?? "",
            "agreed": configuration?.agreed ?? false, "emailField": configuration?.emailField ?? "emailaddress1",
            "name": configuration?.name ?? "Office 365 engagement", "mailboxes": mailboxes,
            "schedules": EnrichmentConfiguration.Schedule.allCases.map { ["value": $0.rawValue, "selected": $0 == schedule] },
        ]
        if let rejection {
            data["problems"] = [
                "message": rejection.message, "resolvedCount": rejection.resolvedCount, "unknownGroups": rejection.unknownGroups,
                "invalidAddresses": rejection.invalidAddresses, "foreignAddresses": rejection.foreignAddresses, "failedChecks": rejection.failedChecks,
            ]
        }
        return renderer.page(
            "configure", title: "Configure", data: data, chrome: chrome(session, environment: environment, error: error),
            status: rejection == nil && error == nil ? .ok : .unprocessableContent)
    }

    @Sendable func configure(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await Self.form(request)
        guard let session = try await postSession(request, fields) else { return PageRenderer.redirect("/ui/signin") }
        guard let environment = try await environment(context, session) else { return notFound(session) }
        func lines(_ name: String) -> [String] {
            (fields[name]?.first ?? "").split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let configuration = EnrichmentConfiguration(
            name: fields["name"]?.first ?? "", addresses: lines("addresses"), groups: lines("groups"),
            agreed: fields["agreed"]?.first == "true", dataset: fields["dataset"]?.first ?? "business_accounts",
            emailField: fields["email_field"]?.first ?? "",
            schedule: EnrichmentConfiguration.Schedule(rawValue: fields["schedule"]?.first ?? "") ?? .weekly)
        let stored = try await platform.enrichments.configuration(tenant: environment.tenantID, environment: environment.id)
        do {
            let outcome = try await platform.saveEnrichment(tenant: environment.tenantID, environment: environment.id, configuration, by: session.caller)
            let notice = "Saved: \(outcome.enrichment.mailboxCount) mailboxes." + (outcome.consentRequested ? " Consent was requested from the Office 365 administrator." : "")
            return PageRenderer.redirect("/ui/environments/\(environment.id.uuidString.lowercased())?notice=\(Self.query(notice))")
        } catch let rejection as ConfigurationRejection {
            return renderConfigure(session, environment, configuration: configuration, mailboxes: stored?.mailboxCount ?? 0, rejection: rejection)
        } catch let error as ServiceError {
            return renderConfigure(session, environment, configuration: configuration, mailboxes: stored?.mailboxCount ?? 0, rejection: nil, error: error.field.map { "\($0): \(error.message)" } ?? error.message)
        }
    }

    @Sendable func results(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = try await session(request) else { return PageRenderer.redirect("/ui/signin") }
        guard let environment = try await environment(context, session) else { return notFound(session) }
        let store = try platform.scope(for: environment).results
        let environmentID = environment.id.uuidString.lowercased()
        var data: [String: Any] = ["environmentName": environment.name, "environmentID": environmentID]
        if let summary = try await store.summary() {
            let history = try await store.history()
            let chart = SVGChart(
                title: "Enriched customers per run", kind: .line, labels: history.map { Self.day($0.asOf) },
                series: [.init(name: "Enriched customers", values: history.map { Double($0.enrichedCustomers) })])
            let parameters = request.uri.queryParameters
            var query = ResultsStore.Query()
            query.level = ["Year", "Month", "Week"].contains(parameters.get("level") ?? "") ? parameters.get("level") : "Year"
            query.sort = parameters.get("sort").flatMap(EnrichedRow.CodingKeys.init(rawValue:)) ?? .engagementScore
            query.descending = parameters.get("order") != "asc"
            query.limit = 25
            guard let page = Self.pageNumber(request) else { return badPage(session, Self.pageProblem) }
            query.offset = page * query.limit
            let rows = try await store.rows(query)
            let level = query.level ?? "Year"
            let names = try await platform.scope(for: environment).customerData.accountNames(
                ids: Array(Set((rows?.rows ?? []).map(\.accountID))))
            func link(_ page: Int) -> String {
                "?level=\(level)&sort=\(query.sort.rawValue)&order=\(query.descending ? "desc" : "asc")&page=\(page)"
            }
            let columns = EnrichedRow.CodingKeys.allCases
            data["published"] = [
                "enrichedCustomers": summary.enrichedCustomers, "emails": summary.emailsProcessed, "meetings": summary.meetingsProcessed,
                "days": summary.daysOfData, "chart": chart.render(), "environmentID": environmentID, "level": level,
                "total": rows?.total ?? 0, "from": (rows?.rows.isEmpty ?? true) ? 0 : query.offset + 1, "to": query.offset + (rows?.rows.count ?? 0),
                "columns": columns.map { column -> [String: Any] in
                    let active = column == query.sort
                    return ["name": column.rawValue, "level": level, "nextOrder": active && query.descending ? "asc" : "desc", "arrow": active ? (query.descending ? " ↓" : " ↑") : ""]
                },
                "rows": (rows?.rows ?? []).map { row -> [String: Any] in
                    [
                        "account": row.accountID, "name": names[row.accountID] ?? "", "accountQuery": Self.pathComponent(row.accountID),
                        "environmentID": environmentID, "cells": Array(row.csvFields.dropFirst()),
                    ]
                },
                "previous": page > 0 ? link(page - 1) : nil as String?,
                "next": (query.offset + query.limit) < (rows?.total ?? 0) ? link(page + 1) : nil as String?,
            ].compactMapValues { $0 }
        }
        return renderer.page("results", title: "Results", data: data, chrome: chrome(session, environment: environment))
    }

    @Sendable func card(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = try await session(request) else { return PageRenderer.redirect("/ui/signin") }
        guard let environment = try await environment(context, session), let account = context.parameters.get("account")?.removingPercentEncoding,
            let card = try await platform.scope(for: environment).results.customerCard(accountID: account)
        else { return notFound(try await self.session(request)) }
        let months = card.monthly
        let chart = SVGChart(
            title: "Monthly email and meeting history of \(card.name)", kind: .bars, labels: months.map { String($0.aggregationStartDate.prefix(7)) },
            series: [
                .init(name: "Emails to", values: months.map { Double($0.emailsToAccount) }),
                .init(name: "Emails from", values: months.map { Double($0.emailsFromAccount) }),
                .init(name: "Meetings to", values: months.map { Double($0.meetingsToAccount) }),
                .init(name: "Meetings from", values: months.map { Double($0.meetingsFromAccount) }),
            ])
        return renderer.page(
            "card", title: card.name,
            data: [
                "name": card.name, "accountID": card.accountID, "score": card.year.engagementScore, "raw": String(format: "%.3f", card.rawScore),
                "totalEmails": card.totalEmails, "totalMeetings": card.totalMeetings, "chart": chart.render(),
                "breakdown": card.breakdown.map { ["name": $0.name, "input": String(format: "%.2f", $0.input), "contribution": String(format: "%.3f", $0.contribution)] },
            ], chrome: chrome(session, environment: environment))
    }

    @Sendable func runs(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = try await session(request) else { return PageRenderer.redirect("/ui/signin") }
        guard let environment = try await environment(context, session) else { return notFound(session) }
        let runs = try await platform.runs.runs(tenant: environment.tenantID, environment: environment.id)
        let environmentID = environment.id.uuidString.lowercased()
        return renderer.page(
            "runs", title: "Runs",
            data: [
                "environmentName": environment.name,
                "runs": runs.map { ["id": $0.id.uuidString.lowercased(), "short": String($0.id.uuidString.prefix(8)).lowercased(), "status": $0.status.rawValue, "trigger": $0.trigger.rawValue, "scheduled": Self.time($0.scheduledFor), "finished": $0.finishedAt.map(Self.time) ?? "", "environmentID": environmentID] },
            ], chrome: chrome(session, environment: environment))
    }

    @Sendable func progress(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = try await session(request) else { return PageRenderer.redirect("/ui/signin") }
        guard let environment = try await environment(context, session), let text = context.parameters.get("run"), let id = UUID(uuidString: text),
            let run = try await platform.runs.run(tenant: environment.tenantID, id: id), run.environmentID == environment.id
        else { return notFound(try await self.session(request)) }
        let going = run.status == .queued || run.status == .running
        return renderer.page(
            "progress", title: "Run progress",
            data: [
                "short": String(run.id.uuidString.prefix(8)).lowercased(), "status": run.status.rawValue, "trigger": run.trigger.rawValue,
                "scheduled": Self.time(run.scheduledFor), "attempts": run.attempts, "error": run.error ?? "", "refreshing": going,
                "steps": run.steps.map { step -> [String: Any] in
                    [
                        "step": step.step.rawValue.replacingOccurrences(of: "_", with: " "), "state": step.state.rawValue,
                        "cssClass": step.state == .failed ? "fail" : (step.state == .succeeded ? "pass" : "muted"),
                        "counts": step.counts.sorted { $0.key < $1.key }.map { "\($0.key.replacingOccurrences(of: "_", with: " ")) \($0.value)" }.joined(separator: ", "),
                        "started": step.startedAt.map(Self.time) ?? "", "finished": step.finishedAt.map(Self.time) ?? "", "error": step.error ?? "",
                    ]
                },
            ], chrome: chrome(session, environment: environment, refresh: going ? 3 : nil))
    }

    @Sendable func segments(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = try await session(request) else { return PageRenderer.redirect("/ui/signin") }
        guard let environment = try await environment(context, session) else { return notFound(session) }
        return try await renderSegments(session, environment, draft: nil, error: nil)
    }

    func renderSegments(_ session: Session, _ environment: ControlStore.Environment, draft: (String, String)?, error: String?) async throws -> Response {
        let list = try await platform.scope(for: environment).segments.segments()
        let environmentID = environment.id.uuidString.lowercased()
        return renderer.page(
            "segments", title: "Segments",
            data: [
                "environmentName": environment.name, "environmentID": environmentID, "csrf": session.csrf,
                "draftName": draft?.0 ?? "", "draftExpression": draft?.1 ?? "",
                "segments": list.map { ["id": $0.id.uuidString.lowercased(), "name": $0.name, "expression": $0.expression, "readyMade": $0.readyMade, "size": $0.size.map(String.init) ?? "–", "environmentID": environmentID] },
            ], chrome: chrome(session, environment: environment, error: error), status: error == nil ? .ok : .unprocessableContent)
    }

    @Sendable func createSegment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await Self.form(request)
        guard let session = try await postSession(request, fields) else { return PageRenderer.redirect("/ui/signin") }
        guard let environment = try await environment(context, session) else { return notFound(session) }
        let name = fields["name"]?.first ?? ""
        let expression = fields["expression"]?.first ?? ""
        guard session.caller.has(.contributor, on: environment.id) else {
            return try await renderSegments(session, environment, draft: (name, expression), error: "Creating segments needs the contributor role.")
        }
        do {
            let segment = try await platform.scope(for: environment).segments.create(
                name: name, expression: expression, at: platform.now())
            return PageRenderer.redirect("/ui/environments/\(environment.id.uuidString.lowercased())/segments/\(segment.id.uuidString.lowercased())")
        } catch let error as ServiceError {
            return try await renderSegments(session, environment, draft: (name, expression), error: error.message)
        }
    }

    @Sendable func segment(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = try await session(request) else { return PageRenderer.redirect("/ui/signin") }
        guard let environment = try await environment(context, session), let text = context.parameters.get("segment"), let id = UUID(uuidString: text) else {
            return notFound(session)
        }
        let store = try platform.scope(for: environment).segments
        guard let segment = try await store.segments().first(where: { $0.id == id }) else {
            return notFound(session)
        }
        let evaluations = try await store.evaluations(segment: id)
        guard let page = Self.pageNumber(request) else { return badPage(session, Self.pageProblem) }
        let members = try await store.members(segment: id, limit: 25, offset: page * 25, at: platform.now())
        let chart = SVGChart(
            title: "Size of \(segment.name) after each run", kind: .line, labels: evaluations.map { Self.day($0.evaluatedAt) },
            series: [.init(name: "Members", values: evaluations.map { Double($0.size) })])
        let environmentID = environment.id.uuidString.lowercased()
        return renderer.page(
            "segment", title: segment.name,
            data: [
                "name": segment.name, "expression": segment.expression, "chart": chart.render(), "total": members.total,
                "members": members.members.map { ["accountID": $0.accountID, "accountQuery": Self.pathComponent($0.accountID), "name": $0.name, "score": $0.engagementScore, "email": $0.daysSinceLastEmail.map(String.init) ?? "–", "meeting": $0.daysSinceLastMeeting.map(String.init) ?? "–", "environmentID": environmentID] },
                "previous": page > 0 ? "?page=\(page - 1)" : nil as String?,
                "next": (page + 1) * 25 < members.total ? "?page=\(page + 1)" : nil as String?,
            ].compactMapValues { $0 }, chrome: chrome(session, environment: environment))
    }

    @Sendable func measures(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = try await session(request) else { return PageRenderer.redirect("/ui/signin") }
        guard let environment = try await environment(context, session) else { return notFound(session) }
        return try await renderMeasures(session, environment, error: nil)
    }

    func renderMeasures(_ session: Session, _ environment: ControlStore.Environment, error: String?) async throws -> Response {
        let store = try platform.scope(for: environment).segments
        let segments = try await store.segments()
        var measures: [[String: Any]] = []
        for measure in try await store.measures() {
            let value = try await store.value(measure: measure.id, at: platform.now())
            let chart = SVGChart(
                title: "\(measure.name) per month", kind: .bars, labels: value.months.map { String($0.month.prefix(7)) },
                series: [.init(name: measure.name, values: value.months.map { $0.value ?? 0 })])
            measures.append([
                "id": measure.id.uuidString.lowercased(), "name": measure.name, "function": measure.function.rawValue, "column": measure.column,
                "scope": segments.first { $0.id == measure.segmentID }?.name ?? "all accounts",
                "year": value.year.map { $0.rounded() == $0 ? String(Int($0)) : String(format: "%.2f", $0) } ?? "–", "chart": chart.render(),
            ])
        }
        return renderer.page(
            "measures", title: "Measures",
            data: [
                "environmentName": environment.name, "environmentID": environment.id.uuidString.lowercased(), "csrf": session.csrf,
                "measures": measures, "functions": Measure.Function.allCases.map(\.rawValue), "columns": SegmentColumn.allCases.map(\.rawValue),
                "segments": segments.map { ["id": $0.id.uuidString.lowercased(), "name": $0.name] },
            ], chrome: chrome(session, environment: environment, error: error), status: error == nil ? .ok : .unprocessableContent)
    }

    @Sendable func createMeasure(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await Self.form(request)
        guard let session = try await postSession(request, fields) else { return PageRenderer.redirect("/ui/signin") }
        guard let environment = try await environment(context, session) else { return notFound(session) }
        guard session.caller.has(.contributor, on: environment.id) else {
            return try await renderMeasures(session, environment, error: "Creating measures needs the contributor role.")
        }
        do {
            _ = try await platform.scope(for: environment).segments.createMeasure(
                name: fields["name"]?.first ?? "",
                function: Measure.Function(rawValue: fields["function"]?.first ?? "") ?? .count, column: fields["column"]?.first ?? "",
                segment: (fields["segment_id"]?.first).flatMap(UUID.init(uuidString:)), at: platform.now())
            return PageRenderer.redirect("/ui/environments/\(environment.id.uuidString.lowercased())/measures")
        } catch let error as ServiceError {
            return try await renderMeasures(session, environment, error: error.message)
        }
    }

    // MARK: - Formatting

    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        return formatter.string(from: date) + " UTC"
    }

    static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }

    static func query(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    static func pathComponent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
