/// A page's view model: the values its mustache template reads, by property name.
///
/// Templates escape every `{{value}}`; a nil property is a section that does not show.
protocol PageView: Sendable {
    /// The template's name in `PageTemplates.all`.
    static var template: String { get }
}
