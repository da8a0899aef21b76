import Foundation
import Testing
import TestSupport

/// `[[site]] health_check`: the control plane probes each upstream; one that fails `fall` checks gets
/// no requests until it passes `rise` checks.
@Suite struct ActiveHealthCheckTests {
    @Test func failingUpstreamIsTakenOutAndComesBack() async throws {
        let good = try TestUpstream(name: "good"), flaky = try TestUpstream(name: "flaky")
        defer { [good, flaky].forEach { $0.stop() } }
        let check = "health_check = { path = \"/healthz\", interval = \"200ms\", timeout = \"150ms\", rise = 2, fall = 2 }"
        let proxy = try await AdminProxy.start(
            sites: [SiteSpec(hosts: ["app.test"], upstreams: [good.address, flaky.address], extra: [check])],
            defaultCertificate: "app.test", workers: "1")
        defer { proxy.kill() }
        let admin = try AdminClient(proxy)
        try await eventually(within: 5, "the checker probes both upstreams") {
            flaky.requests.contains { $0.path == "/healthz" } && good.requests.contains { $0.path == "/healthz" }
        }
        flaky.healthStatus = 503
        // fall (2) × interval (0.2 s) plus one probe in flight: out well within 2 s.
        try await eventually(within: 3, "marked down") { proxy.logs.contains("upstream marked down by health check") }
        let before = flaky.requests.filter { $0.path == "/name" }.count
        for _ in 0..<6 {
            let response = try await Curl.https(host: "app.test", port: proxy.httpsPort, path: "/name")
            #expect(response.status == 200 && response.bodyText == "good", "\(response.bodyText)")
        }
        #expect(flaky.requests.filter { $0.path == "/name" }.count == before, "a down upstream gets no requests")
        // The state is visible in GET /api/v1/sites and in the metrics.
        let sites = try await admin.request("GET", "/api/v1/sites")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(sites.body)) as? [[String: Any]])
        let health = rows.first?["upstream_health"] as? [String: String]
        #expect(health == [good.address: "up", flaky.address: "down"], "\(sites.bodyText)")
        let metrics = try await admin.request("GET", "/metrics")
        #expect(metrics.bodyText.contains("portcullis_upstream_up{site=\"app.test\",upstream=\"\(flaky.address)\"} 0"), "\(metrics.bodyText.prefix(300))")
        #expect(metrics.bodyText.contains("portcullis_upstream_up{site=\"app.test\",upstream=\"\(good.address)\"} 1"))
        flaky.healthStatus = 200
        try await eventually(within: 3, "back up") { proxy.logs.contains("upstream back up after health check") }
        var names = Set<String>()
        for _ in 0..<4 { names.insert(try await Curl.https(host: "app.test", port: proxy.httpsPort, path: "/name").bodyText) }
        #expect(names == ["good", "flaky"], "both serve again: \(names)")
    }
}
