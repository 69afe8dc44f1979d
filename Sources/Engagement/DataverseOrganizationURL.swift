import Foundation

/// A Dataverse organization's URL, `https://{org}.crm{N}.dynamics.com`, and the geography its host names.
///
/// Microsoft numbers the `crm` label by region ("Power Platform URLs and IP
/// address ranges", learn.microsoft.com/power-platform/admin/online-requirements):
/// no number is North America, 4 Europe, 11 the United Kingdom, and so on. The
/// Web API also answers on `{org}.api.crm{N}.dynamics.com`.
public struct DataverseOrganizationURL: Sendable, Equatable {
    /// The organization's host, lowercased, e.g. `contoso.crm4.dynamics.com`.
    public let host: String
    /// Microsoft's name of the geography, e.g. `Europe, Middle East and Africa (crm4)`.
    public let geography: String
    /// The Rapport region the geography lies in; nil when it lies outside all of them.
    public let region: Region?

    /// `https://{host}`: the resource the OAuth scope and the token's audience name.
    public var resource: String { "https://\(host)" }
    /// The Web API's base: `https://{host}/api/data/v9.2`.
    public var apiBase: String { "\(resource)/api/data/v9.2" }

    /// Parses an organization URL; refuses anything that is not a commercial-cloud Dataverse host, naming `field`.
    public init(_ text: String, field: String = "organization_url") throws {
        _ = try Validation.httpsURL(text, field: field)
        guard let components = URLComponents(string: text), let host = components.host?.lowercased(),
            components.path.isEmpty || components.path == "/", components.query == nil, components.port == nil
        else {
            throw ServiceError(.invalid, "must be the organization's URL without a path, such as https://contoso.crm4.dynamics.com", field: field)
        }
        let labels = host.split(separator: ".").map(String.init)
        guard labels.count >= 4, labels.suffix(2) == ["dynamics", "com"], labels[0].range(of: "^[a-z0-9-]+$", options: .regularExpression) != nil,
            let crm = labels.dropLast(2).last, crm.hasPrefix("crm"),
            labels.count == 4 || (labels.count == 5 && labels[1] == "api")
        else {
            throw ServiceError(
                .invalid, "\"\(host)\" is not a Dataverse organization host ({org}.crm{N}.dynamics.com)", field: field)
        }
        guard let (geography, region) = Self.geographies[crm] else {
            throw ServiceError(
                .invalid, "\"\(host)\": Microsoft lists no geography for \(crm).dynamics.com, so its data residency cannot be checked",
                field: field)
        }
        self.host = labels.count == 5 ? ([labels[0]] + labels[2...]).joined(separator: ".") : host
        self.geography = geography
        self.region = region
    }

    /// Throws unless the organization's geography is `region` (data residency).
    public func requireRegion(_ region: Region, field: String = "organization_url") throws {
        guard self.region != region else { return }
        throw ServiceError(
            .invalid,
            "the organization \(host) is in \(geography), but the environment's results stay in \(region.displayName); attach an organization in \(region.displayName)",
            field: field)
    }

    /// `crm{N}` → Microsoft's geography and the Rapport region it lies in.
    static let geographies: [String: (String, Region?)] = [
        "crm": ("North America (crm)", .na),
        "crm2": ("South America (crm2)", nil),
        "crm3": ("Canada (crm3)", .na),
        "crm4": ("Europe, Middle East and Africa (crm4)", .eu),
        "crm5": ("Asia Pacific (crm5)", nil),
        "crm6": ("Oceania (crm6)", nil),
        "crm7": ("Japan (crm7)", nil),
        "crm8": ("India (crm8)", nil),
        "crm9": ("Dynamics 365 US Government (crm9)", .na),
        "crm11": ("United Kingdom (crm11)", .uk),
        "crm12": ("France (crm12)", .eu),
        "crm14": ("South Africa (crm14)", nil),
        "crm15": ("United Arab Emirates (crm15)", nil),
        "crm16": ("Germany (crm16)", .eu),
        "crm17": ("Switzerland (crm17)", .eu),
        "crm19": ("Norway (crm19)", .eu),
        "crm20": ("Singapore (crm20)", nil),
        "crm21": ("Korea (crm21)", nil),
    ]
}
