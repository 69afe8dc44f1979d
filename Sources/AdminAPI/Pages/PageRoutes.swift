import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Platform

/// The web pages: sign-in, the environments, and each environment's pages (`EnvironmentPageRoutes`, `ResultsPageRoutes`, `SegmentPageRoutes`).
///
/// Server-rendered with escaping templates, one stylesheet, no script, a
/// strict Content-Security-Policy; every form carries a CSRF token.
/// `PageSessionMiddleware` resolves the session once for every page behind
/// sign-in, `PageEnvironmentMiddleware` the environment of every page under it.
struct PageRoutes {
    let platform: Platform
    /// Cookies, proxies and limits.
    let options: HTTPOptions
    let renderer = PageRenderer()

    var secret: [UInt8] { platform.serviceSecret }

    /// The sign-in form's fields.
    struct SignInForm: Decodable {
        var csrf: String?
        var key: String?
    }

    func register(on ui: RouterGroup<AppRequestContext>) {
        ui.get("app.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: Stylesheet.css)))
        }
        ui.get("signin", use: signInPage)
        ui.post("signin", use: signIn)
        let signedIn = ui.group()
            .add(middleware: PageSessionMiddleware(platform: platform))
            .group(context: PageRequestContext.self)
        signedIn.post("signout", use: signOut)
        signedIn.get(use: home)
        let environment = signedIn.group("environments/{environment}")
            .add(middleware: PageEnvironmentMiddleware(platform: platform, renderer: renderer))
            .group(context: PageEnvironmentRequestContext.self)
        EnvironmentPageRoutes(platform: platform, renderer: renderer).register(on: environment)
        ResultsPageRoutes(renderer: renderer).register(on: environment)
        SegmentPageRoutes(platform: platform, renderer: renderer).register(on: environment)
    }

    /// Whether this request reached us over TLS: always when configured so, or as a trusted proxy says.
    func secureCookies(_ request: Request, channel: any Channel) -> Bool {
        if options.secureCookies { return true }
        guard request.headers[.init("X-Forwarded-Proto")!]?.lowercased() == "https",
            let peer = channel.remoteAddress?.ipAddress
        else { return false }
        return options.trustedProxies.contains(peer)
    }

    // MARK: - Sign in and out

    @Sendable func signInPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        // A nonce cookie for the sign-in form's CSRF check (there is no session yet).
        let nonce = UUID().uuidString
        let cookie = PageSession.cookie(
            name: PageSession.signInCookieName, value: nonce, maxAge: 900, secure: secureCookies(request, channel: context.channel))
        return renderer.page(
            SignInPage(csrf: PageSession.csrfToken(for: nonce, secret: secret)), title: "Sign in", headers: [.setCookie: cookie.description])
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await PageForm.decode(SignInForm.self, from: request)
        guard let nonce = request.cookies[PageSession.signInCookieName]?.value,
            PageSession.checkCSRF(form?.csrf, cookie: nonce, secret: secret)
        else {
            return renderer.page(
                SignInPage(csrf: ""), title: "Sign in", chrome: PageChrome(error: "The form expired; reload the page and sign in again."),
                status: .forbidden)
        }
        let key = form?.key?.trimmingCharacters(in: .whitespaces) ?? ""
        let opened: (id: UUID, expiresAt: Date)
        do {
            guard let parsed = APIKey(parsing: key), parsed.kind == .tenant else { throw ServiceError(.unauthenticated, "not a tenant key") }
            opened = try await platform.control.openSession(key: key, lifetime: PageSession.lifetime)
        } catch let error as ServiceError where error.code == .unauthenticated {
            return renderer.page(
                SignInPage(csrf: PageSession.csrfToken(for: nonce, secret: secret)), title: "Sign in",
                chrome: PageChrome(error: "That key is not valid."), status: .unauthorized)
        }
        let value = PageSession.issue(session: opened.id, expiresAt: opened.expiresAt, secret: secret)
        let secure = secureCookies(request, channel: context.channel)
        var response = PageRenderer.redirect("/ui")
        response.setCookie(PageSession.cookie(name: PageSession.cookieName, value: value, maxAge: Int(PageSession.lifetime), secure: secure))
        response.setCookie(PageSession.cookie(name: PageSession.signInCookieName, value: "", maxAge: 0, secure: secure))
        return response
    }

    /// Ends the session on the server (the middleware checked the form's CSRF token).
    @Sendable func signOut(_ request: Request, context: PageRequestContext) async throws -> Response {
        try await platform.control.endSession(context.session.id)
        var response = PageRenderer.redirect("/ui/signin")
        response.setCookie(
            PageSession.cookie(name: PageSession.cookieName, value: "", maxAge: 0, secure: secureCookies(request, channel: context.channel)))
        return response
    }

    // MARK: - Home

    @Sendable func home(_ request: Request, context: PageRequestContext) async throws -> Response {
        let name = try await platform.control.tenant(context.tenantID).name
        let environments = try await platform.control.environments(tenant: context.tenantID).filter {
            context.caller.may(.readEnvironment, in: context.tenantID, on: $0.id)
        }
        return renderer.page(
            HomePage(tenantName: name, environments: environments.map(HomePage.Row.init)), title: name, chrome: PageChrome(context.session))
    }
}
