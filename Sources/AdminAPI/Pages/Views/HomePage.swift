import Platform

/// The tenant's environments the caller holds a role on.
struct HomePage: PageView {
    static let template = "home"

    struct Row: Sendable {
        var id: String
        var name: String
        var region: String
        var profile: String

        init(_ environment: Environment) {
            id = environment.id.uuidString.lowercased()
            name = environment.name
            region = environment.region.displayName
            profile = environment.profileType.rawValue.replacingOccurrences(of: "_", with: " ")
        }
    }

    var tenantName: String
    var environments: [Row] = []
}
