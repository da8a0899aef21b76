import Foundation
import Testing
import TestSupport

/// The configurable timeouts and the body limit: 408 for a slow request head, idle keep-alive
/// connections closed, handshakes that never start dropped, 413 for a too-large body.
@Suite struct TimeoutsAndLimitsTests {
    static func startProxy() async throws -> ProxyUnderTest {
        try await ProxyUnderTest.start(
            ProxyConfigSpec(
                server: [
                    "request_head_timeout": "\"1s\"", "idle_timeout": "\"1s\"", "handshake_timeout": "\"1s\"",
                    "max_body_bytes": "1000",
                ],
                sites: [.respond(["t.test"], "ok\n")]))
    }

    @Test func incompleteRequestHeadGets408() async throws {
        let proxy = try await Self.startProxy()
        defer { proxy.kill() }
        let session = try TLSSession(port: proxy.httpsPort, serverName: "t.test")
        defer { session.close() }
        try session.send("GET / HTTP/1.1\r\nHost: t.test\r\n")
        let response = try await session.readResponse(within: 10)
        #expect(response.status == 408)
        try await session.waitForClose(within: 10)
    }

    @Test func idleKeepAliveConnectionIsClosed() async throws {
        let proxy = try await Self.startProxy()
        defer { proxy.kill() }
        let session = try TLSSession(port: proxy.httpsPort, serverName: "t.test")
        defer { session.close() }
        try session.send("GET / HTTP/1.1\r\nHost: t.test\r\n\r\n")
        let response = try await session.readResponse()
        #expect(response.status == 200)
        try await session.waitForClose(within: 10)
        #expect(session.received.count == HTTPResponse.parse(session.received)?.1, "no 408 on an idle connection")
    }

    @Test func silentClientIsDroppedAfterHandshakeTimeout() async throws {
        let proxy = try await Self.startProxy()
        defer { proxy.kill() }
        let fd = try #require(LoopbackSocket.connect(port: proxy.httpsPort))
        defer { close(fd) }
        var byte: UInt8 = 0
        try await eventually(within: 10, "proxy to close a connection that never sent a ClientHello") {
            let n = recv(fd, &byte, 1, Int32(MSG_DONTWAIT))
            return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
        }
    }

    @Test func bodyOverLimitGets413() async throws {
        let proxy = try await Self.startProxy()
        defer { proxy.kill() }
        let response = try await TLSProbe.exchange(
            port: proxy.httpsPort, serverName: "t.test", send: "POST / HTTP/1.1\r\nHost: t.test\r\nContent-Length: 5000\r\n\r\nabc")
        #expect(response.status == 413)
        let small = try await TLSProbe.exchange(
            port: proxy.httpsPort, serverName: "t.test", send: "POST / HTTP/1.1\r\nHost: t.test\r\nContent-Length: 3\r\n\r\nabc")
        #expect(small.status == 200)
    }
}
