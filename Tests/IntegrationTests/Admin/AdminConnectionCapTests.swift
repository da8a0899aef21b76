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

    @Test(arguments: [false, true])
    func idleConnectionsDoNotStopAnAuthorizedRequest(tls: Bool) async throws {
        let proxy = try await AdminProxy.start(
            sites: [.respond(["localhost"], "ok\n")], defaultCertificate: "localhost",
            extraAdmin: tls ? ["tls = true", "certificate = \"localhost\""] : [])
        defer { proxy.kill() }
        let admin = try AdminClient(proxy)
        let token = admin.token
        var sockets: [Int32] = []
        defer { for fd in sockets { close(fd) } }
        for index in 0..<Self.idle {
            let fd = try #require(LoopbackSocket.connect(port: proxy.adminPort), "connection \(index) refused")
            // Plain: every other one starts a request head and stalls (slowloris); the rest send nothing.
            // TLS: none sends anything (plain bytes would fail the handshake and close on their own).
            if index % 2 == 1 && !tls { _ = LoopbackSocket.sendAll(fd, Array("GET /healthz HTTP/1.1\r\nHost: x\r\n".utf8)) }
            sockets.append(fd)
        }
        let scheme = tls ? "https" : "http"
        let listed = try await Curl.run(
            ["\(scheme)://127.0.0.1:\(proxy.adminPort)/api/v1/certificates", "-H", "Authorization: Bearer \(token)"], within: 10)
        #expect(listed.status == 200, "\(listed.stderr)")
        // The server closed at least the connections past the cap, oldest first.
        let mustClose = Self.idle - Self.cap
        try await eventually(within: 10, "at least \(mustClose) idle connections closed by the server") {
            sockets.prefix(mustClose).allSatisfy(Self.peerClosed)
        }
        let closed = sockets.filter(Self.peerClosed).count
        #expect(closed >= mustClose && closed < Self.idle, "\(closed) of \(Self.idle) closed")
        #expect(try await Curl.run(["\(scheme)://127.0.0.1:\(proxy.adminPort)/healthz"], within: 10).status == 200)
    }

    /// True when the peer has closed `fd` (a read that does not wait returns 0 or an error).
    static func peerClosed(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        let count = recv(fd, &byte, 1, Int32(MSG_DONTWAIT) | Int32(MSG_PEEK))
        return count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }
}
