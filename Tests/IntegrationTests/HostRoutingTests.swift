import Foundation
import Testing
import TestSupport

/// Routing by Host to the right site, and round robin over a site's upstreams.
@Suite struct HostRoutingTests {
    @Test func routesByHostAndRoundRobins() async throws {
        let one = try TestUpstream(name: "one"), two = try TestUpstream(name: "two"), three = try TestUpstream(name: "three")
        defer { [one, two, three].forEach { $0.stop() } }
        // One worker: the round-robin position is per worker, so strict alternation needs a single one.
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(
                server: ["workers": "1"],
                sites: [.proxy(["app.test"], to: [one.address, two.address]), .proxy(["other.test"], to: [three.address])]))
        defer { proxy.kill() }

        var names: [String] = []
        for _ in 0..<4 {
            let response = try await Curl.https(host: "app.test", port: proxy.httpsPort, path: "/name")
            #expect(response.status == 200)
            names.append(response.bodyText)
        }
        #expect(Set(names) == ["one", "two"], "both upstreams used: \(names)")
        #expect(zip(names, names.dropFirst()).allSatisfy { $0 != $1 }, "strict alternation: \(names)")
        #expect(one.requests.count == 2 && two.requests.count == 2)

        let other = try await Curl.https(host: "other.test", port: proxy.httpsPort, path: "/name")
        #expect(other.status == 200)
        #expect(other.bodyText == "three")
        #expect(three.requests.count == 1)
        #expect(one.requests.count + two.requests.count == 4, "other.test must not reach app.test's upstreams")
    }

    @Test func respondSiteAndUpstreamSiteSideBySide() async throws {
        let app = try TestUpstream(name: "app")
        defer { app.stop() }
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(sites: [.respond(["static.test"], "static text\n"), .proxy(["app.test"], to: [app.address])]))
        defer { proxy.kill() }
        let fixed = try await Curl.https(host: "static.test", port: proxy.httpsPort, path: "/anything?x=1")
        #expect(fixed.status == 200 && fixed.bodyText == "static text\n")
        let proxied = try await Curl.https(host: "app.test", port: proxy.httpsPort, path: "/name?x=1")
        #expect(proxied.bodyText == "app")
        #expect(app.requests.map(\.target) == ["/name?x=1"], "the target reaches the upstream unchanged")
    }
}
