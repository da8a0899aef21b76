import Foundation
import TestSupport
import Testing

/// `max_body_bytes` limits a chunked request body by its decoded size, as it does a Content-Length one:
/// 413, and the upstream never receives more than the limit.
@Suite struct ChunkedBodyLimitTests {
    @Test func chunkedBodyOverLimitGets413() async throws {
        let upstream = try TestUpstream(name: "app")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(server: ["max_body_bytes": "1000"], sites: [.proxy(["up.test"], to: [upstream.address])]))
        defer { proxy.kill() }
        let chunk = "258\r\n" + String(repeating: "a", count: 600) + "\r\n"
        let big = try await TLSProbe.exchange(
            port: proxy.httpsPort, serverName: "up.test",
            send: "POST /upload HTTP/1.1\r\nHost: up.test\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + chunk + "0\r\n\r\n")
        #expect(big.status == 413)
        #expect(upstream.requests.allSatisfy { $0.bodyLength <= 1000 })

        let small = try await TLSProbe.exchange(
            port: proxy.httpsPort, serverName: "up.test",
            send: "POST /upload HTTP/1.1\r\nHost: up.test\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + "0\r\n\r\n")
        #expect(small.status == 200)
        #expect(small.bodyText.hasPrefix("bytes=600 "))
    }
}
