/// A page that only says something: the frame of the 400, 404 and error pages (the message is in the chrome's error).
struct MessagePage: PageView {
    static let template = "message"
    var heading: String
}
