import Foundation
import Testing
import TestSupport

/// 2,000 connections that send part of a request head and then trickle more never starve a normal
/// client: it is accepted and answered within 1 s, even when the proxy starts with a 1,024-descriptor
/// soft limit (it raises the limit toward what max_connections needs).
@Suite(.serialized) struct SlowConnectionsFairnessTests {
    static let slowCount = 2000

    /// Raises this test process's own soft descriptor limit so it can hold the slow connections.
    static func raiseOwnFileLimit(to needed: Int) throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        guard limit.rlim_cur < rlim_t(needed) else { return }
        limit.rlim_cur = min(rlim_t(needed), limit.rlim_max)
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        guard limit.rlim_cur >= rlim_t(needed) else { throw HarnessError("need \(needed) descriptors, hard limit is \(limit.rlim_max)") }
    }

    /// One HTTPS request by curl; returns curl's own time_total (connect, handshake, response).
    static func timedRequest(port: UInt16) async throws -> (status: Int, seconds: Double) {
        let result = try await ChildProcess.run(
            "curl", ["-sS", "-k", "--http1.1", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code} %{time_total}",
                     "--resolve", "normal.test:\(port):127.0.0.1", "https://normal.test:\(port)/"], within: 15)
        let fields = String(decoding: result.stdout, as: UTF8.self).split(separator: " ")
        return (Int(fields.first ?? "") ?? 0, Double(fields.last ?? "") ?? 99)
    }

    @Test func normalClientIsServedWithinOneSecond() async throws {
        try Self.raiseOwnFileLimit(to: Self.slowCount + 512)
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(server: ["max_connections": "10000"], sites: [.respond(["normal.test"], "ok\n")]),
            openFileLimit: 1024, softLimitOnly: true)
        defer { proxy.kill() }
        var slow: [Int32] = []
        defer { slow.forEach { close($0) } }
        for _ in 0..<Self.slowCount {
            guard let fd = LoopbackSocket.connect(port: proxy.httpPort) else { throw HarnessError("connect refused") }
            LoopbackSocket.sendAll(fd, Array("GET / HTTP/1.1\r\nHost: normal.test\r\n".utf8))
            slow.append(fd)
        }
        // Trickle a header line on every slow connection between the timed requests.
        var times: [Double] = []
        for round in 0..<3 {
            for fd in slow { LoopbackSocket.sendAll(fd, Array("X-Trickle-\(round): x\r\n".utf8)) }
            let (status, seconds) = try await Self.timedRequest(port: proxy.httpsPort)
            #expect(status == 200)
            times.append(seconds)
        }
        #expect(times.max()! < 1.0, "normal requests took \(times) s beside \(Self.slowCount) slow connections")
        // Every slow connection is still open (none was dropped to make room).
        var byte: UInt8 = 0
        let open = slow.filter { recv($0, &byte, 1, Int32(MSG_DONTWAIT)) < 0 && errno == EAGAIN }.count
        #expect(open == Self.slowCount)
    }
}
