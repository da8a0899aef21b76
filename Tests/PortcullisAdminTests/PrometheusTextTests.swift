import Testing

@testable import PortcullisAdmin

/// The text exposition writer: escaping, counters, histograms.
@Suite struct PrometheusTextTests {
    @Test func counterFamilyDropsTotalFromTheFamilyName() {
        var text = PrometheusText()
        text.family("x_requests_total", .counter, help: "Requests.\nSecond line")
        text.sample("x_requests_total", [("site", "a\"b\\c\nd")], 3)
        #expect(text.text == "# HELP x_requests Requests.\\nSecond line\n# TYPE x_requests counter\nx_requests_total{site=\"a\\\"b\\\\c\\nd\"} 3\n")
    }

    @Test func histogramIsCumulative() {
        var text = PrometheusText()
        text.histogram("d_seconds", [("site", "s")], upperBounds: [0.1, 1], counts: [2, 1, 4], sum: 9.5)
        #expect(text.text.contains("d_seconds_bucket{site=\"s\",le=\"0.1\"} 2\n"))
        #expect(text.text.contains("d_seconds_bucket{site=\"s\",le=\"1\"} 3\n"))
        #expect(text.text.contains("d_seconds_bucket{site=\"s\",le=\"+Inf\"} 7\n"))
        #expect(text.text.contains("d_seconds_count{site=\"s\"} 7\n"))
        #expect(text.text.contains("d_seconds_sum{site=\"s\"} 9.5\n"))
    }
}
