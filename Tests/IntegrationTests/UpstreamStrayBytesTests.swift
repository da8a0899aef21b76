import Foundation
import Testing
import TestSupport

/// An upstream that sends bytes past the end of a bodiless response (HEAD, 204) never gets to pass
/// them off as the answer to the next request: pooled connections are checked before reuse, and one
/// that answered HEAD/204/304 waits in the pool until a stray body would have shown up.
@Suite struct UpstreamStrayBytesTests {
    static let evil = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nEVIL!"

    /// 204 then, 50 ms later, a whole stray response; HEAD gets its head, then stray body bytes 50 ms later.
    static func misbehavingUpstream() throws -> ScriptedUpstream {
        try ScriptedUpstream { line in
            if line.hasPrefix("GET /nocontent ") {
                return [.init("HTTP/1.1 204 No Content\r\n\r\n"), .init(after: 50, Self.evil)]
            }
            if line.hasPrefix("HEAD ") {
                // (Content-Length 0 so the test's own parser, which does not know the method, reads no body.)
                return [.init("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), .init(after: 50, "EVIL!")]
            }
            return [.init("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ngood")]
        }
    }

    static func start(_ upstream: ScriptedUpstream) async throws -> ProxyUnderTest {
        try await ProxyUnderTest.start(
            ProxyConfigSpec(server: ["workers": "1"], sites: [.proxy(["stray.test"], to: [upstream.address])]))
    }

    @Test(arguments: ["GET /nocontent", "HEAD /page"])
    func pipelinedRequestGetsItsOwnResponse(first: String) async throws {
        let upstream = try Self.misbehavingUpstream()
        defer { upstream.stop() }
        let proxy = try await Self.start(upstream)
        defer { proxy.kill() }
        let session = try TLSSession(port: proxy.httpsPort, serverName: "stray.test")
        defer { session.close() }
        try session.send("\(first) HTTP/1.1\r\nHost: stray.test\r\n\r\nGET /next HTTP/1.1\r\nHost: stray.test\r\n\r\n")
        let one = try await session.readResponse()
        #expect(one.status == (first.hasPrefix("HEAD") ? 200 : 204))
        #expect(one.body.isEmpty)
        let two = try await session.readResponse()
        #expect(two.status == 200)
        #expect(two.bodyText == "good")
    }

    @Test func nextRequestRightAfterA204GetsItsOwnResponse() async throws {
        let upstream = try Self.misbehavingUpstream()
        defer { upstream.stop() }
        let proxy = try await Self.start(upstream)
        defer { proxy.kill() }
        let session = try TLSSession(port: proxy.httpsPort, serverName: "stray.test")
        defer { session.close() }
        try session.send("GET /nocontent HTTP/1.1\r\nHost: stray.test\r\n\r\n")
        #expect(try await session.readResponse().status == 204)
        for _ in 0..<3 {
            try session.send("GET /next HTTP/1.1\r\nHost: stray.test\r\n\r\n")
            let next = try await session.readResponse()
            #expect(next.status == 200)
            #expect(next.bodyText == "good")
        }
    }
}
