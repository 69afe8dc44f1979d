@testable import AdminAPI
import Testing

@Suite("SVG chart builder")
struct SVGChartTests {
    @Test("lines: axes, ticks, a point per value, a legend, and every label escaped")
    func line() {
        let chart = SVGChart(
            title: "Customers <of> \"Contoso\"", kind: .line, labels: ["2026-01", "<script>"],
            series: [.init(name: "Enriched & <b>", values: [3, 7])]).render()
        #expect(chart.hasPrefix("<svg"))
        #expect(chart.hasSuffix("</svg>"))
        #expect(chart.contains("<title>Customers &lt;of&gt; &quot;Contoso&quot;</title>"))
        #expect(chart.contains("&lt;script&gt;"))
        #expect(!chart.contains("<script>"))
        #expect(chart.contains("Enriched &amp; &lt;b&gt;"))
        #expect(chart.components(separatedBy: "<circle").count - 1 == 2)
        #expect(chart.components(separatedBy: "class=\"axis\"").count - 1 == 2)
        // The y axis tops out at a round number above the data: 10 for 7.
        #expect(chart.contains(">10</text>"))
        #expect(chart.contains("<polyline"))
    }

    @Test("grouped bars: one bar per series and label; empty charts say so")
    func bars() {
        let chart = SVGChart(
            title: "History", kind: .bars, labels: ["Jan", "Feb", "Mar"],
            series: [.init(name: "Emails to", values: [1, 2, 3]), .init(name: "Emails from", values: [0, 5, 1])]).render()
        // Two legend swatches plus six bars.
        #expect(chart.components(separatedBy: "<rect").count - 1 == 8)
        #expect(chart.contains("Emails from"))
        let empty = SVGChart(title: "Nothing", kind: .line, labels: [], series: []).render()
        #expect(empty.contains("No data yet"))
    }

    @Test("round maxima")
    func niceMaximum() {
        #expect(SVGChart.niceMaximum(0) == 1)
        #expect(SVGChart.niceMaximum(7) == 10)
        #expect(SVGChart.niceMaximum(120) == 200)
        #expect(SVGChart.niceMaximum(5) == 5)
    }
}
