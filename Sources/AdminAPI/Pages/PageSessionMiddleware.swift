import Foundation
import Hummingbird
import Platform

/// Resolves the session of a page request once; without one (or, on a form post, without its CSRF token) it is sign-in.
///
/// The cookie names a session kept on the server, so a database failure here
/// is an error page, not "signed out". A post's body is read here, once, and
/// stays readable for the route.
struct PageSessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let platform: Platform

    /// The field every form carries.
    struct CSRFField: Decodable {
        var csrf: String?
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        var presented: String?
        if request.method == .post {
            _ = try await request.collectBody(upTo: PageForm.limit)
            presented = try await PageForm.decode(CSRFField.self, from: request)?.csrf
        }
        guard let session = try await session(request), session.caller.tenantID != nil,
            request.method != .post || PageSession.checkCSRF(presented, cookie: session.cookie, secret: platform.serviceSecret)
        else { return PageRenderer.redirect("/ui/signin") }
        var context = context
        context.pageSession = session
        return try await next(request, context)
    }

    /// The session the request's cookie names, or nil when there is none, it is forged or expired, or it ended.
    func session(_ request: Request) async throws -> PageSession.Active? {
        let secret = platform.serviceSecret
        guard let cookie = request.cookies[PageSession.cookieName]?.value,
            let id = PageSession.verify(cookie, secret: secret, at: platform.now())
        else { return nil }
        let caller: Caller
        do {
            caller = try await platform.control.sessionCaller(session: id)
        } catch let error as ServiceError where error.code == .unauthenticated {
            return nil
        }
        return PageSession.Active(id: id, caller: caller, cookie: cookie, csrf: PageSession.csrfToken(for: cookie, secret: secret))
    }
}
