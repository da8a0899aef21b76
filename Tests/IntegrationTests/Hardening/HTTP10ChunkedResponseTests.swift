import Foundation
import TestSupport
import Testing

/// An HTTP/1.0 client cannot read chunked framing: a chunked upstream response reaches it decoded,
/// without Transfer-Encoding, and delimited by the connection closing.
@Suite struct HTTP10ChunkedResponseTests {
    @Test func chunkedResponseIsDecodedForHTTP10() async throws {
        let upstream = try TestUpstream(name: "app")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.proxy(["old.test"], to: [upstream.address])]))
        defer { proxy.kill() }
        let session = try TLSSession(port: proxy.httpsPort, serverName: "old.test")
        defer { session.close() }
        try session.send("GET /chunked?n=50000&size=700 HTTP/1.0\r\nHost: old.test\r\n\r\n")
        try await session.waitForClose(within: 15)
        let (response, _) = try #require(HTTPResponse.parse(session.received, atEOF: true))
        #expect(response.status == 200)
        #expect(response.header("transfer-encoding") == nil)
        #expect(!response.wasChunked)
        #expect(response.body == Pattern.bytes(50000), "the body is the decoded data, nothing else")
    }
}
