import Foundation
import Testing
import TestSupport

/// An upstream that accepts the request and never answers gives 504 after `upstream_response_timeout`.
@Suite struct UpstreamTimeoutTests {
    @Test func stalledUpstreamGives504() async throws {
        let upstream = try TestUpstream(name: "stall")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(server: ["upstream_response_timeout": "\"1s\""], sites: [.proxy(["stall.test"], to: [upstream.address])]))
        defer { proxy.kill() }
        let response = try await Curl.https(host: "stall.test", port: proxy.httpsPort, path: "/stall", within: 20)
        #expect(response.status == 504)
        #expect(response.body.count < 1024)
        #expect(upstream.requests.map(\.path) == ["/stall"])

        // The site still works for a prompt request afterwards.
        let next = try await Curl.https(host: "stall.test", port: proxy.httpsPort, path: "/name")
        #expect(next.status == 200 && next.bodyText == "stall")
    }
}
