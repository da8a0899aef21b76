import Foundation
import Testing
import TestSupport

/// Chunked framing in both directions: a chunked request body reaches the upstream whole, and a
/// chunked upstream response reaches the client whole.
@Suite struct ChunkedTests {
    @Test func chunkedResponseFromUpstream() async throws {
        let upstream = try TestUpstream(name: "app")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.proxy(["chunk.test"], to: [upstream.address])]))
        defer { proxy.kill() }
        let response = try await Curl.https(host: "chunk.test", port: proxy.httpsPort, path: "/chunked?n=100000&size=3000")
        #expect(response.status == 200)
        #expect(response.body.count == 100_000)
        #expect(response.body == Pattern.bytes(100_000))
    }

    @Test func chunkedRequestWrittenByHand() async throws {
        let upstream = try TestUpstream(name: "app")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.proxy(["chunk.test"], to: [upstream.address])]))
        defer { proxy.kill() }
        let session = try TLSSession(port: proxy.httpsPort, serverName: "chunk.test")
        defer { session.close() }
        try session.send("POST /echo HTTP/1.1\r\nHost: chunk.test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
        try session.send("7\r\n, world\r\n")
        try session.send("A\r\n from afar\r\n0\r\n\r\n")
        let response = try await session.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "hello, world from afar")
        #expect(upstream.requests.first?.bodyLength == 22)

        // The connection stays usable after a chunked request.
        try session.send("GET /name HTTP/1.1\r\nHost: chunk.test\r\n\r\n")
        let next = try await session.readResponse()
        #expect(next.bodyText == "app")
    }

    @Test func chunkedUploadFromCurl() async throws {
        let upstream = try TestUpstream(name: "app")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.proxy(["chunk.test"], to: [upstream.address])]))
        defer { proxy.kill() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chunk-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Pattern.writeFile(dir + "/body", count: 1 << 20)
        let response = try await Curl.https(
            host: "chunk.test", port: proxy.httpsPort, path: "/upload",
            ["-T", dir + "/body", "-X", "POST", "-H", "Transfer-Encoding: chunked", "-H", "Expect:"])
        #expect(response.status == 200)
        #expect(response.bodyText == "bytes=1048576 pattern=ok\n")
    }
}
