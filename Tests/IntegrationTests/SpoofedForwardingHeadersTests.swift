import Foundation
import Testing
import TestSupport

/// A client cannot pose as the proxy: forwarding and identity fields it sends (in any spelling,
/// underscores included) never reach the upstream; the proxy sets X-Forwarded-Port, and an RFC 7239
/// `Forwarded` field where `forwarded = true`.
@Suite struct SpoofedForwardingHeadersTests {
    static let spoofed = [
        "Forwarded: for=6.6.6.6;proto=https", "X-Forwarded-Port: 1", "X-Forwarded-Prefix: /evil",
        "X-Real-IP: 6.6.6.6", "X_Forwarded_For: 6.6.6.6", "X_Client_Cert_Subject: CN=admin",
        "X-Client-Cert-Subject: CN=admin", "X-Forwarded-Proto: gopher", "X-Forwarded-Host: evil.test",
        "True-Client-IP: 6.6.6.6", "Some_Other_Field: x", "X-Kept: yes",
    ]

    @Test func spoofedFieldsAreDroppedAndPortIsSet() async throws {
        let upstream = try TestUpstream(name: "app")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.proxy(["fwd.test"], to: [upstream.address])]))
        defer { proxy.kill() }
        let response = try await Curl.https(
            host: "fwd.test", port: proxy.httpsPort, path: "/headers", Self.spoofed.flatMap { ["-H", $0] })
        #expect(response.status == 200)
        let seen = try #require(upstream.requests.first)
        #expect(seen.header("forwarded") == nil, "forwarded is off by default")
        for name in ["x-forwarded-prefix", "x-real-ip", "true-client-ip", "x-client-cert-subject"] {
            #expect(seen.header(name) == nil, "\(name) passed through")
        }
        #expect(!seen.headers.contains { $0.name.contains("_") }, "underscore names passed: \(seen.headers)")
        #expect(seen.header("x-forwarded-port") == "\(proxy.httpsPort)")
        #expect(seen.headers.all("x-forwarded-port").count == 1)
        #expect(seen.header("x-forwarded-proto") == "https")
        #expect(seen.header("x-forwarded-host") == "fwd.test:\(proxy.httpsPort)")
        #expect(seen.header("x-kept") == "yes")
    }

    @Test func forwardedIsSetPerSiteAndServer() async throws {
        let upstream = try TestUpstream(name: "app")
        defer { upstream.stop() }
        var off = SiteSpec.proxy(["off.test"], to: [upstream.address])
        off.extra = ["forwarded = false"]
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(server: ["forwarded": "true"], sites: [.proxy(["on.test"], to: [upstream.address]), off]))
        defer { proxy.kill() }
        let on = try await Curl.https(
            host: "on.test", port: proxy.httpsPort, path: "/headers", ["-H", "Forwarded: for=6.6.6.6"])
        #expect(on.status == 200)
        let first = try #require(upstream.requests.first)
        #expect(first.headers.all("forwarded") == ["for=127.0.0.1;proto=https;host=\"on.test:\(proxy.httpsPort)\""])

        let other = try await Curl.https(host: "off.test", port: proxy.httpsPort, path: "/headers", ["-H", "Forwarded: for=6.6.6.6"])
        #expect(other.status == 200)
        let second = try #require(upstream.requests.last)
        #expect(second.header("forwarded") == nil, "the site turned it off and the client's value was dropped")
    }
}
