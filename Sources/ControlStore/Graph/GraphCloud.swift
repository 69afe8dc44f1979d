/// The Microsoft cloud a tenant lives in, which picks the login and Graph hosts.
public enum GraphCloud: String, Sendable, Codable, CaseIterable {
    case global
    /// US Government L4 (GCC High).
    case usGovL4 = "us_gov_l4"
    /// US Government L5 (DoD).
    case usGovL5 = "us_gov_l5"
    /// Microsoft Azure operated by 21Vianet.
    case china

    /// The Microsoft identity platform's host.
    public var loginHost: String {
        switch self {
        case .global: "login.microsoftonline.com"
        case .usGovL4, .usGovL5: "login.microsoftonline.us"
        case .china: "login.chinacloudapi.cn"
        }
    }

    /// Microsoft Graph's host.
    public var graphHost: String {
        switch self {
        case .global: "graph.microsoft.com"
        case .usGovL4: "graph.microsoft.us"
        case .usGovL5: "dod-graph.microsoft.us"
        case .china: "microsoftgraph.chinacloudapi.cn"
        }
    }

    /// The scope that asks for the app's configured application permissions: `https://{graph host}/.default`.
    public var defaultScope: String { "https://\(graphHost)/.default" }
}
