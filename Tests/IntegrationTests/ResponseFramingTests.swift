import Foundation
import Testing
import TestSupport

/// Upstream responses framed by connection close (no Content-Length, no chunking) still reach the
/// client whole, and the client can tell where they end.
@Suite struct ResponseFramingTests {
    @Test func readUntilCloseResponse() async throws {
        let upstream = try TestUpstream(name: "app")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.proxy(["close.test"], to: [upstream.address])]))
        defer { proxy.kill() }
        let response = try await Curl.https(host: "close.test", port: proxy.httpsPort, path: "/close?n=300000")
        #expect(response.status == 200)
        #expect(response.exitCode == 0, "\(response.stderr)")
        #expect(response.body == Pattern.bytes(300_000))
    }

    @Test func readUntilCloseOnKeepAliveClientConnection() async throws {
        let upstream = try TestUpstream(name: "app")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.proxy(["close.test"], to: [upstream.address])]))
        defer { proxy.kill() }
        let session = try TLSSession(port: proxy.httpsPort, serverName: "close.test")
        defer { session.close() }
        try session.send("GET /close?n=5000 HTTP/1.1\r\nHost: close.test\r\n\r\n")
        // Either re-framed (chunked) with the connection kept, or close-delimited and then closed.
        let response = try await session.readResponse(within: 10)
        #expect(response.status == 200)
        #expect(response.body == Pattern.bytes(5000))
        if response.wasChunked || response.header("content-length") != nil {
            try session.send("GET /name HTTP/1.1\r\nHost: close.test\r\n\r\n")
            let next = try await session.readResponse()
            #expect(next.bodyText == "app")
        } else {
            #expect(session.isClosed)
        }
    }
}
