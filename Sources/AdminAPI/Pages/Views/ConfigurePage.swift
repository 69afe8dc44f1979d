import Platform

/// The enrichment's configuration wizard, with what a rejected save got wrong.
struct ConfigurePage: PageView {
    static let template = "configure"

    struct Schedule: Sendable {
        var value: String
        var selected: Bool
    }

    var environmentName: String
    var environmentID: String
    var csrf: String
    /// One address per line.
    var addresses: String
    /// One group per line.
    var groups: String
    var agreed: Bool
    var emailField: String
    var name: String
    /// The mailboxes the stored configuration selects.
    var mailboxes: Int
    var schedules: [Schedule]
    /// What a refused save got wrong (the template reads its fields by name).
    var problems: ConfigurationRejection?

    /// The form filled with `configuration` (or the defaults).
    init(
        environment: Environment, csrf: String, configuration: EnrichmentConfiguration?, mailboxes: Int, rejection: ConfigurationRejection?
    ) {
        let schedule = configuration?.schedule ?? .weekly
        environmentName = environment.name
        environmentID = environment.id.uuidString.lowercased()
        self.csrf = csrf
        addresses = configuration?.addresses.joined(separator: "\n") ?? ""
        groups = configuration?.groups.joined(separator: "\n") ?? ""
        agreed = configuration?.agreed ?? false
        emailField = configuration?.emailField ?? "emailaddress1"
        name = configuration?.name ?? "Office 365 engagement"
        self.mailboxes = mailboxes
        schedules = EnrichmentConfiguration.Schedule.allCases.map { Schedule(value: $0.rawValue, selected: $0 == schedule) }
        problems = rejection
    }
}
