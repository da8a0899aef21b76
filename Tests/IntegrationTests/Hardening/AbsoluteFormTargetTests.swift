import Foundation
import TestSupport
import Testing

/// `GET https://app.test/path HTTP/1.1` with another Host: the request is routed by the target's
/// authority and, as RFC 9112 §3.2.2 requires, the upstream sees that authority as Host (nginx and
/// HAProxy do the same), never the client's own Host line.
@Suite struct AbsoluteFormTargetTests {
    @Test func targetAuthorityReplacesHost() async throws {
        let app = try TestUpstream(name: "app")
        defer { app.stop() }
        let other = try TestUpstream(name: "other")
        defer { other.stop() }
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(sites: [
                SiteSpec(hosts: ["app.test", "admin.internal"], upstreams: [app.address]),
                .proxy(["other.test"], to: [other.address]),
            ]))
        defer { proxy.kill() }
        let response = try await TLSProbe.exchange(
            port: proxy.httpsPort, serverName: "app.test",
            send: "GET https://app.test/name?x=1 HTTP/1.1\r\nHost: admin.internal\r\nConnection: close\r\n\r\n")
        #expect(response.status == 200)
        #expect(response.bodyText == "app")
        let seen = try #require(app.requests.first)
        #expect(seen.target == "/name?x=1", "sent on in origin form")
        #expect(seen.headers.all("host") == ["app.test"], "Host is the target's authority, exactly once")
        #expect(seen.header("x-forwarded-host") == "app.test")
    }
}
