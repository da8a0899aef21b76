import Foundation
import Testing
import TestSupport

/// What the upstream sees: X-Forwarded-* added, hop-by-hop headers (fixed list and those named in
/// Connection) removed in both directions, end-to-end headers kept.
@Suite struct ForwardingHeadersTests {
    @Test func upstreamSeesForwardingHeadersAndNoHopByHop() async throws {
        let upstream = try TestUpstream(name: "app")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.proxy(["fwd.test"], to: [upstream.address])]))
        defer { proxy.kill() }

        let response = try await Curl.https(
            host: "fwd.test", port: proxy.httpsPort, path: "/headers",
            [
                "-H", "Host: fwd.test", "-H", "X-Forwarded-For: 203.0.113.7", "-H", "Connection: keep-alive, X-Hop",
                "-H", "X-Hop: secret", "-H", "Keep-Alive: timeout=5", "-H", "TE: trailers", "-H", "X-End-To-End: kept",
            ])
        #expect(response.status == 200)
        let seen = try #require(upstream.requests.first)
        #expect(seen.header("x-forwarded-for") == "203.0.113.7, 127.0.0.1")
        #expect(seen.header("x-forwarded-proto") == "https")
        #expect(seen.header("x-forwarded-host") == "fwd.test")
        #expect(seen.header("x-end-to-end") == "kept")
        #expect(seen.header("x-hop") == nil, "named in Connection, so hop-by-hop")
        #expect(seen.header("keep-alive") == nil)
        #expect(seen.header("te") == nil)
        #expect(seen.headers.all("connection").allSatisfy { !$0.lowercased().contains("x-hop") })
        #expect(seen.headers.all("x-forwarded-for").count == 1, "appended to, not duplicated")
    }

    @Test func forwardedForIsCreatedWhenAbsent() async throws {
        let upstream = try TestUpstream(name: "app")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.proxy(["fwd.test"], to: [upstream.address])]))
        defer { proxy.kill() }
        let response = try await Curl.https(host: "fwd.test", port: proxy.httpsPort, path: "/name")
        #expect(response.status == 200)
        let seen = try #require(upstream.requests.first)
        #expect(seen.header("x-forwarded-for") == "127.0.0.1")
        // The original Host value (with its port) or the bare name: both are common; the RFCs leave it open.
        #expect(["fwd.test:\(proxy.httpsPort)", "fwd.test"].contains(seen.header("x-forwarded-host") ?? ""))
    }

    @Test func hopByHopResponseHeadersAreRemoved() async throws {
        let upstream = try TestUpstream(name: "app")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.proxy(["fwd.test"], to: [upstream.address])]))
        defer { proxy.kill() }
        let response = try await Curl.https(host: "fwd.test", port: proxy.httpsPort, path: "/hop")
        #expect(response.status == 200)
        #expect(response.bodyText == "hop")
        #expect(response.header("x-kept") == "yes")
        #expect(response.header("x-resp-hop") == nil, "named in the upstream's Connection header")
        #expect(response.header("keep-alive") != "timeout=5", "the upstream's Keep-Alive is hop-by-hop")
    }
}
