import Foundation
import Testing
import TestSupport

/// A site's `hsts` value is added to responses that lack Strict-Transport-Security; an upstream's own
/// header wins; sites without `hsts` send none.
@Suite struct HSTSTests {
    @Test func hstsAddedPerSite() async throws {
        let upstream = try TestUpstream(name: "app")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(sites: [
                SiteSpec(hosts: ["strict.test"], respond: "strict\n", hsts: "max-age=31536000"),
                SiteSpec(hosts: ["app.test"], upstreams: [upstream.address], hsts: "max-age=600"),
                .respond(["plain.test"], "plain\n"),
            ]))
        defer { proxy.kill() }
        let port = proxy.httpsPort

        let strict = try await Curl.https(host: "strict.test", port: port)
        #expect(strict.header("strict-transport-security") == "max-age=31536000")
        let plain = try await Curl.https(host: "plain.test", port: port)
        #expect(plain.status == 200)
        #expect(plain.header("strict-transport-security") == nil)

        let proxied = try await Curl.https(host: "app.test", port: port, path: "/name")
        #expect(proxied.header("strict-transport-security") == "max-age=600")
        let own = try await Curl.https(host: "app.test", port: port, path: "/sts")
        #expect(own.headers.all("strict-transport-security") == ["max-age=5"], "the upstream's own header is kept, not doubled")
    }
}
