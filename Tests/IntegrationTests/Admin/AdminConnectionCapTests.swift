import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The admin listener holds at most 256 connections (`HTTPServerLimits.maxConnections`): idle
/// connections past the cap push out the oldest, and a new authorized request is still served.
@Suite(.serialized) struct AdminConnectionCapTests {
    static let idle = 300
    static let cap = 256

    @Test func idleConnectionsDoNotStopAnAuthorizedRequest() async throws {
        let proxy = try await AdminProxy.start(sites: [.respond(["localhost"], "ok\n")], defaultCertificate: "localhost")
        defer { proxy.kill() }
        let admin = try AdminClient(proxy)
        var sockets: [Int32] = []
        defer { for fd in sockets { close(fd) } }
        for index in 0..<Self.idle {
            let fd = try #require(LoopbackSocket.connect(port: proxy.adminPort), "connection \(index) refused")
            // Every other one starts a request head and stalls (slowloris); the rest send nothing.
            if index % 2 == 1 { _ = LoopbackSocket.sendAll(fd, Array("GET /healthz HTTP/1.1\r\nHost: x\r\n".utf8)) }
            sockets.append(fd)
        }
        let listed = try await admin.request("GET", "/api/v1/certificates")
        #expect(listed.status == 200)
        // The server closed at least the connections past the cap, oldest first.
        let mustClose = Self.idle - Self.cap
        try await eventually(within: 10, "at least \(mustClose) idle connections closed by the server") {
            sockets.prefix(mustClose).allSatisfy(Self.peerClosed)
        }
        let closed = sockets.filter(Self.peerClosed).count
        #expect(closed >= mustClose && closed < Self.idle, "\(closed) of \(Self.idle) closed")
        #expect(try await admin.request("GET", "/healthz", auth: .none).status == 200)
    }

    /// True when the peer has closed `fd` (a read that does not wait returns 0 or an error).
    static func peerClosed(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        let count = recv(fd, &byte, 1, Int32(MSG_DONTWAIT) | Int32(MSG_PEEK))
        return count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }
}
