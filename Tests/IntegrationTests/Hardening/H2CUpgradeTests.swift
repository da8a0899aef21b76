import Foundation
import TestSupport
import Testing

/// `Upgrade: h2c` is not offered: like nginx, the request is served as plain HTTP/1.1 and the upgrade
/// token never reaches the upstream (which could otherwise switch the connection to HTTP/2 behind us).
@Suite struct H2CUpgradeTests {
    @Test func h2cUpgradeIsIgnored() async throws {
        let upstream = try TestUpstream(name: "app")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.proxy(["h2c.test"], to: [upstream.address])]))
        defer { proxy.kill() }
        let response = try await TLSProbe.exchange(
            port: proxy.httpsPort, serverName: "h2c.test",
            send: "GET /name HTTP/1.1\r\nHost: h2c.test\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n")
        #expect(response.status == 200)
        #expect(response.bodyText == "app")
        let seen = try #require(upstream.requests.first)
        #expect(seen.header("upgrade") == nil, "h2c is not forwarded")
        #expect(seen.header("http2-settings") == nil)
        #expect(seen.header("connection")?.lowercased().contains("upgrade") != true)
    }
}
