import Foundation
import TestSupport
import Testing

/// The client-side timeouts follow the exchange: `idle_timeout` bounds a keep-alive connection with no
/// request in flight, not a response that is still streaming, nor the wait for a slow upstream (which
/// `upstream_response_timeout` bounds with a 504).
@Suite struct ExchangeTimeoutsTests {
    static func start(_ upstream: TestUpstream, responseTimeout: String = "\"20s\"") async throws -> ProxyUnderTest {
        try await ProxyUnderTest.start(
            ProxyConfigSpec(
                server: ["idle_timeout": "\"1s\"", "upstream_response_timeout": responseTimeout],
                sites: [.proxy(["slow.test"], to: [upstream.address])]))
    }

    @Test func responseStreamedLongerThanIdleTimeoutArrivesWhole() async throws {
        let upstream = try TestUpstream(name: "slow")
        defer { upstream.stop() }
        let proxy = try await Self.start(upstream)
        defer { proxy.kill() }
        let response = try await Curl.https(host: "slow.test", port: proxy.httpsPort, path: "/slow?ms=3000&n=5000", within: 20)
        #expect(response.exitCode == 0, "curl: \(response.stderr)")
        #expect(response.status == 200)
        #expect(response.body == Pattern.bytes(5000))
    }

    @Test func upstreamSlowerThanIdleTimeoutGets504() async throws {
        let upstream = try TestUpstream(name: "stall")
        defer { upstream.stop() }
        let proxy = try await Self.start(upstream, responseTimeout: "\"3s\"")
        defer { proxy.kill() }
        let response = try await Curl.https(host: "slow.test", port: proxy.httpsPort, path: "/stall", within: 20)
        #expect(response.status == 504, "upstream_response_timeout, not idle_timeout, bounds the wait: \(response.stderr)")
    }
}
