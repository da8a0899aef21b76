import Foundation
import Testing
import TestSupport

/// `max_upstream_connections` caps open connections per upstream per worker: at the cap a request goes
/// to another upstream of its site, and when every upstream is at the cap it gets 503 at once.
@Suite struct UpstreamConnectionCapTests {
    @Test func requestsBeyondTheCapGetAnotherUpstreamOr503() async throws {
        let first = try TestUpstream(name: "first")
        defer { first.stop() }
        let second = try TestUpstream(name: "second")
        defer { second.stop() }
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(
                server: ["workers": "1", "max_upstream_connections": "1"],
                sites: [.proxy(["one.test"], to: [first.address]), .proxy(["two.test"], to: [first.address, second.address])]))
        defer { proxy.kill() }
        // /stall holds the only connection the cap allows to `first` until the proxy closes it.
        let held = try TLSSession(port: proxy.httpsPort, serverName: "one.test")
        defer { held.close() }
        try held.send("GET /stall HTTP/1.1\r\nHost: one.test\r\n\r\n")
        try await first.waitForRequests(1)

        let refused = try await Curl.https(host: "one.test", port: proxy.httpsPort, path: "/name", within: 5)
        #expect(refused.status == 503)
        #expect(refused.bodyText.contains("max_upstream_connections"))
        #expect(first.connectionCount == 1, "no second connection was opened to the capped upstream")

        for _ in 0..<2 {
            let spread = try await Curl.https(host: "two.test", port: proxy.httpsPort, path: "/name", within: 5)
            #expect(spread.status == 200)
            #expect(spread.bodyText == "second", "the capped upstream is skipped")
        }

        held.close()
        try await eventually(within: 10, "the capped upstream to serve again") {
            let again = try await Curl.https(host: "one.test", port: proxy.httpsPort, path: "/name", within: 5)
            return again.status == 200 && again.bodyText == "first"
        }
    }
}
