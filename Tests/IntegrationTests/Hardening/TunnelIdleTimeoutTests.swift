import Foundation
import TestSupport
import Testing

/// A WebSocket tunnel with no traffic in either direction is closed after `tunnel_idle_timeout`, while
/// one that keeps exchanging frames stays open past it.
@Suite struct TunnelIdleTimeoutTests {
    @Test func idleTunnelIsClosed() async throws {
        let upstream = try TestUpstream(name: "ws")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(server: ["tunnel_idle_timeout": "\"4s\""], sites: [.proxy(["ws.test"], to: [upstream.address])]))
        defer { proxy.kill() }
        let session = try TLSSession(port: proxy.httpsPort, serverName: "ws.test")
        defer { session.close() }
        try session.send(
            "GET /ws HTTP/1.1\r\nHost: ws.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        #expect(try await session.readResponse().status == 101)

        // Traffic every 500 ms for 5 s keeps it open past the 4 s idle limit.
        for i in 0..<10 {
            let payload = Array("ping \(i)".utf8)
            try session.send(WebSocket.frame(opcode: 1, payload: payload, mask: [1, 2, 3, 4]))
            let echoed = try #require(WebSocket.parseFrame(try await session.readBytes(2 + payload.count)))
            #expect(echoed.payload == payload)
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(!session.isClosed)

        // Then silence: closed after about 4 s.
        try await session.waitForClose(within: 12)
    }
}
