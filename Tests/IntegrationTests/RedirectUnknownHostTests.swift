import Foundation
import Testing
import TestSupport

/// The plain listener redirects only hosts a site is configured for (exact or wildcard); any other
/// Host gets 404, so the proxy is no open redirector.
@Suite struct RedirectUnknownHostTests {
    @Test func onlyConfiguredHostsAreRedirected() async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(sites: [.respond(["site.test", "*.wild.test"], "hi\n")]))
        defer { proxy.kill() }
        let exact = try await Curl.http(host: "site.test", port: proxy.httpPort, path: "/a")
        #expect(exact.status == 301)
        let wildcard = try await Curl.http(host: "x.wild.test", port: proxy.httpPort, path: "/b")
        #expect(wildcard.status == 301)
        #expect(wildcard.header("location") == "https://x.wild.test:8443/b")
        for host in ["evil.example", "a.b.wild.test", "wild.test"] {
            let response = try await Curl.http(host: host, port: proxy.httpPort, path: "/phish")
            #expect(response.status == 404, "\(host)")
            #expect(response.header("location") == nil, "\(host)")
        }
    }
}
