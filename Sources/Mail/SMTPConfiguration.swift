/// Where and how `SMTPClient` hands messages to the relay.
///
/// The client speaks plain SMTP without STARTTLS: the relay is expected on
/// localhost or a trusted network, since credentials and mail cross in clear.
public struct SMTPConfiguration: Sendable {
    /// The relay's host name or address, such as `127.0.0.1`.
    public var host: String
    /// The relay's port, such as 25.
    public var port: Int
    /// The bare address (`rapport@example.com`) used as envelope sender and `From` header.
    public var from: String
    /// The name this host gives in EHLO / HELO.
    public var heloName: String
    /// User name for AUTH PLAIN; AUTH is used only when both it and `password` are set.
    public var username: String?
    /// Password for AUTH PLAIN; never logged.
    public var password: String?
    /// How long to wait for the connection and for each reply of the relay.
    public var timeout: Duration

    public init(
        host: String,
        port: Int,
        from: String,
        heloName: String = "rapport.localhost",
        username: String? = nil,
        password: String? = nil,
        timeout: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.from = from
        self.heloName = heloName
        self.username = username
        self.password = password
        self.timeout = timeout
    }
}
