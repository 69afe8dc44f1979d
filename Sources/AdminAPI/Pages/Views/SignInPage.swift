/// The sign-in form.
struct SignInPage: PageView {
    static let template = "signin"
    /// The CSRF token of the sign-in nonce cookie.
    var csrf: String
}
