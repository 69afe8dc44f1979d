import Foundation

/// Draws small inline SVG charts: lines or grouped bars, with axes, tick labels and a legend.
///
/// Every label and series name is escaped; numbers are formatted by the
/// builder. The output needs no script and no external asset, so it passes a
/// strict Content-Security-Policy.
public struct SVGChart: Sendable {
    public enum Kind: Sendable {
        case line
        case bars
    }

    public struct Series: Sendable {
        public var name: String
        public var values: [Double]
        /// A CSS colour; series get distinct defaults.
        public var color: String?

        public init(name: String, values: [Double], color: String? = nil) {
            self.name = name
            self.values = values
            self.color = color
        }
    }

    public var title: String
    public var kind: Kind
    /// One label per x position.
    public var labels: [String]
    public var series: [Series]
    public var width = 640
    public var height = 260

    static let palette = ["#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626"]

    public init(title: String, kind: Kind, labels: [String], series: [Series]) {
        self.title = title
        self.kind = kind
        self.labels = labels
        self.series = series
    }

    /// The chart as an `<svg>` element.
    public func render() -> String {
        let left = 48.0, right = 12.0, top = 28.0, bottom = 44.0
        let plotWidth = Double(width) - left - right
        let plotHeight = Double(height) - top - bottom
        let maximum = Self.niceMaximum(series.flatMap(\.values).max() ?? 0)
        let count = max(labels.count, series.map(\.values.count).max() ?? 0)
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(width) \(height)" role="img" aria-label="\(Self.escape(title))">
            <title>\(Self.escape(title))</title>
            """
        // Y axis in five steps: whole numbers for the 1-2-5 maxima of counts.
        for tick in 0...5 {
            let value = maximum * Double(tick) / 5
            let y = top + plotHeight - plotHeight * Double(tick) / 5
            svg += "<line class=\"grid\" x1=\"\(Self.number(left))\" y1=\"\(Self.number(y))\" x2=\"\(Self.number(left + plotWidth))\" y2=\"\(Self.number(y))\"/>"
            svg += "<text class=\"tick\" x=\"\(Self.number(left - 6))\" y=\"\(Self.number(y + 4))\" text-anchor=\"end\">\(Self.escape(Self.label(value)))</text>"
        }
        svg += "<line class=\"axis\" x1=\"\(Self.number(left))\" y1=\"\(Self.number(top + plotHeight))\" x2=\"\(Self.number(left + plotWidth))\" y2=\"\(Self.number(top + plotHeight))\"/>"
        svg += "<line class=\"axis\" x1=\"\(Self.number(left))\" y1=\"\(Self.number(top))\" x2=\"\(Self.number(left))\" y2=\"\(Self.number(top + plotHeight))\"/>"
        guard count > 0 else {
            svg += "<text class=\"empty\" x=\"\(Self.number(left + plotWidth / 2))\" y=\"\(Self.number(top + plotHeight / 2))\" text-anchor=\"middle\">No data yet</text></svg>"
            return svg
        }
        let step = plotWidth / Double(count)
        // X labels: at most about twelve, evenly spaced.
        let every = max(1, Int((Double(count) / 12).rounded(.up)))
        for (index, label) in labels.enumerated() where index % every == 0 {
            let x = left + step * (Double(index) + 0.5)
            svg += "<text class=\"tick\" x=\"\(Self.number(x))\" y=\"\(Self.number(top + plotHeight + 16))\" text-anchor=\"middle\">\(Self.escape(label))</text>"
        }
        func y(_ value: Double) -> Double { top + plotHeight - (maximum > 0 ? plotHeight * value / maximum : 0) }
        for (position, entry) in series.enumerated() {
            let color = entry.color ?? Self.palette[position % Self.palette.count]
            switch kind {
            case .line:
                let points = entry.values.enumerated().map { index, value in
                    "\(Self.number(left + step * (Double(index) + 0.5))),\(Self.number(y(value)))"
                }.joined(separator: " ")
                svg += "<polyline class=\"series\" fill=\"none\" stroke=\"\(Self.escape(color))\" stroke-width=\"2\" points=\"\(points)\"/>"
                for (index, value) in entry.values.enumerated() {
                    svg += "<circle cx=\"\(Self.number(left + step * (Double(index) + 0.5)))\" cy=\"\(Self.number(y(value)))\" r=\"3\" fill=\"\(Self.escape(color))\"><title>\(Self.escape(entry.name)) \(Self.escape(index < labels.count ? labels[index] : "")): \(Self.escape(Self.label(value)))</title></circle>"
                }
            case .bars:
                let barWidth = step * 0.8 / Double(max(series.count, 1))
                let baseline = top + plotHeight
                for (index, value) in entry.values.enumerated() {
                    let x = left + step * Double(index) + step * 0.1 + barWidth * Double(position)
                    let barTop = y(value)
                    svg += "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(barTop))\" width=\"\(Self.number(barWidth))\" height=\"\(Self.number(max(0, baseline - barTop)))\" fill=\"\(Self.escape(color))\"><title>\(Self.escape(entry.name)) \(Self.escape(index < labels.count ? labels[index] : "")): \(Self.escape(Self.label(value)))</title></rect>"
                }
            }
        }
        // Legend along the top.
        var legendX = left
        for (position, entry) in series.enumerated() {
            let color = entry.color ?? Self.palette[position % Self.palette.count]
            svg += "<rect x=\"\(Self.number(legendX))\" y=\"8\" width=\"10\" height=\"10\" fill=\"\(Self.escape(color))\"/>"
            svg += "<text class=\"legend\" x=\"\(Self.number(legendX + 14))\" y=\"17\">\(Self.escape(entry.name))</text>"
            legendX += 24 + Double(entry.name.count) * 7
        }
        return svg + "</svg>"
    }

    /// Escapes text for SVG (XML) and HTML content and attributes.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    static func label(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// A round maximum (1, 2 or 5 × a power of ten) at or above `value`.
    static func niceMaximum(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let magnitude = pow(10, floor(log10(value)))
        for factor in [1.0, 2.0, 5.0, 10.0] where factor * magnitude >= value { return factor * magnitude }
        return 10 * magnitude
    }
}
