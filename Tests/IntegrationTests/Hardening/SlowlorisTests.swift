import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Slowloris: bytes trickling in must not extend the handshake or request-head deadlines (each byte
/// used to restart an inactivity timer), leading empty lines start the head deadline too, and a request
/// body slower than `min_body_rate` is cut with 408.
@Suite struct SlowlorisTests {
    static func start(_ upstream: TestUpstream? = nil) async throws -> ProxyUnderTest {
        var server = ["handshake_timeout": "\"2s\"", "request_head_timeout": "\"2s\"", "idle_timeout": "\"30s\""]
        if upstream != nil { server.merge(["min_body_rate": "1000", "min_body_rate_grace": "\"1s\""]) { $1 } }
        return try await ProxyUnderTest.start(
            ProxyConfigSpec(
                server: server,
                sites: [upstream.map { .proxy(["s.test"], to: [$0.address]) } ?? .respond(["s.test"], "ok\n")]))
    }

    /// Sends `piece` every 250 ms until the server answers or closes; returns the seconds that took.
    /// The 15 s window is far past every deadline configured here, and shorter than `idle_timeout`, so
    /// an answer within it can only come from an absolute deadline (scheduling delays on a loaded
    /// machine only make it come later).
    static func trickle(_ session: TLSSession, _ piece: String, within seconds: Double = 15) async throws -> Double {
        let started = ContinuousClock.now
        let deadline = Deadline(seconds: seconds)
        while !session.isClosed, session.received.isEmpty, !deadline.hasPassed {
            try? session.send(piece)
            try await Task.sleep(for: .milliseconds(250))
        }
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    @Test func tricklingHeadGets408AtTheHeadDeadline() async throws {
        let proxy = try await Self.start()
        defer { proxy.kill() }
        let session = try TLSSession(port: proxy.httpsPort, serverName: "s.test")
        defer { session.close() }
        try session.send("GET / HTTP/1.1\r\nHost: s.test\r\n")
        let elapsed = try await Self.trickle(session, "X-A: b\r\n")
        #expect(elapsed < 14, "answered after \(elapsed) s")
        #expect(try await session.readResponse(within: 5).status == 408)
    }

    @Test func leadingEmptyLinesStartTheHeadDeadline() async throws {
        let proxy = try await Self.start()
        defer { proxy.kill() }
        let session = try TLSSession(port: proxy.httpsPort, serverName: "s.test")
        defer { session.close() }
        let elapsed = try await Self.trickle(session, "\r\n")
        #expect(elapsed < 14, "answered after \(elapsed) s")
        #expect(try await session.readResponse(within: 5).status == 408)
    }

    @Test func tricklingHandshakeIsCutAtTheHandshakeDeadline() async throws {
        let proxy = try await Self.start()
        defer { proxy.kill() }
        let fd = try #require(LoopbackSocket.connect(port: proxy.httpsPort))
        defer { close(fd) }
        // A TLS record header announcing a 512-byte ClientHello, then its bytes one at a time.
        #expect(LoopbackSocket.sendAll(fd, [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]))
        let started = ContinuousClock.now
        var closed = false
        for _ in 0..<60 where !closed {
            _ = send(fd, [UInt8(0x41)], 1, Int32(MSG_NOSIGNAL))
            try await Task.sleep(for: .milliseconds(250))
            var byte: UInt8 = 0
            let n = recv(fd, &byte, 1, Int32(MSG_DONTWAIT))
            closed = n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
        }
        let elapsed = ContinuousClock.now - started
        #expect(closed, "the connection survived 15 s of trickling (closed after \(elapsed))")
    }

    @Test func bodySlowerThanMinimumRateGets408() async throws {
        let upstream = try TestUpstream(name: "app")
        defer { upstream.stop() }
        let proxy = try await Self.start(upstream)
        defer { proxy.kill() }
        let session = try TLSSession(port: proxy.httpsPort, serverName: "s.test")
        defer { session.close() }
        try session.send("POST /upload HTTP/1.1\r\nHost: s.test\r\nContent-Length: 100000\r\n\r\n")
        let elapsed = try await Self.trickle(session, "abcd")
        #expect(elapsed < 14, "answered after \(elapsed) s")
        #expect(try await session.readResponse(within: 5).status == 408)
    }
}
