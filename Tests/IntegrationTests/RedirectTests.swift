import Foundation
import Testing
import TestSupport

/// The plain listener redirects everything that is not an ACME challenge to HTTPS, keeping host,
/// path and query, with `https_redirect_port` in the URL (and no port when it is 443).
@Suite struct RedirectTests {
    @Test func redirectsToConfiguredHTTPSPort() async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(listeners: [.https(), .http(httpsRedirectPort: 8443)], sites: [.respond(["site.test"], "hi\n")]))
        defer { proxy.kill() }
        let response = try await Curl.http(host: "site.test", port: proxy.httpPort, path: "/some/path?x=1&y=two")
        #expect(response.status == 301)
        #expect(response.header("location") == "https://site.test:8443/some/path?x=1&y=two")

        // The client's port in Host is replaced by the redirect port.
        let withPort = try await Curl.http(host: "site.test:\(proxy.httpPort)", port: proxy.httpPort, path: "/a")
        #expect(withPort.status == 301)
        #expect(withPort.header("location") == "https://site.test:8443/a")
    }

    @Test func port443IsLeftOutOfTheURL() async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(listeners: [.https(), .http(httpsRedirectPort: 443)], sites: [.respond(["site.test"], "hi\n")]))
        defer { proxy.kill() }
        let response = try await Curl.http(host: "site.test", port: proxy.httpPort, path: "/login?next=%2Fhome")
        #expect(response.status == 301)
        #expect(response.header("location") == "https://site.test/login?next=%2Fhome")
    }
}
