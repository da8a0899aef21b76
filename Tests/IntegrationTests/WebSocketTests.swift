import Foundation
import Testing
import TestSupport

/// An Upgrade: websocket request is forwarded, the upstream's 101 comes back, and frames are then
/// tunnelled both ways unchanged.
@Suite struct WebSocketTests {
    @Test func echoThroughTheProxy() async throws {
        let upstream = try TestUpstream(name: "ws")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.proxy(["ws.test"], to: [upstream.address])]))
        defer { proxy.kill() }
        let session = try TLSSession(port: proxy.httpsPort, serverName: "ws.test")
        defer { session.close() }

        let key = "x3JJHMbDL1EzLkh9GBhXDw=="
        try session.send(
            "GET /ws HTTP/1.1\r\nHost: ws.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n")
        let handshake = try await session.readResponse()
        #expect(handshake.status == 101)
        #expect(handshake.header("upgrade")?.lowercased() == "websocket")
        #expect(handshake.header("sec-websocket-accept") == WebSocket.accept(forKey: key))
        #expect(upstream.requests.first?.header("upgrade")?.lowercased() == "websocket", "Upgrade forwarded")

        try session.send(WebSocket.frame(opcode: 1, payload: Array("hello".utf8), mask: [7, 1, 9, 3]))
        let text = try #require(WebSocket.parseFrame(try await session.readBytes(2 + 5)))
        #expect(text.opcode == 1 && text.payload == Array("hello".utf8))

        let binary = Pattern.bytes(300)
        try session.send(WebSocket.frame(opcode: 2, payload: binary, mask: [0xde, 0xad, 0xbe, 0xef]))
        let echoed = try #require(WebSocket.parseFrame(try await session.readBytes(4 + 300)))
        #expect(echoed.opcode == 2 && echoed.payload == binary)

        try session.send(WebSocket.frame(opcode: 8, payload: [0x03, 0xe8], mask: [1, 1, 1, 1]))
        let close = try #require(WebSocket.parseFrame(try await session.readBytes(2 + 2)))
        #expect(close.opcode == 8)
        try await session.waitForClose(within: 10)
    }
}
