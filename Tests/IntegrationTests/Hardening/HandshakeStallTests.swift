import Foundation
import TestSupport
import Testing

/// Issue 14 item 13: right after a TLS scan of one listener, a handshake on another listener of the same
/// process must not stall. `bench/stall_stress.py` is the scanner and the probe: a burst of hostile
/// connections (truncated, bit-flipped and length-lying ClientHellos, SSLv3/TLS 1.0/1.1/SSLv2 hellos,
/// garbage, resets, completed handshakes ended with garbage or a heartbeat record, some left half-open)
/// against the first listener, which keeps being scanned in the background while sequential full
/// handshakes on the second listener each get a 2 s deadline. Here 500 of them (the bench runs 10,000).
@Suite struct HandshakeStallTests {
    struct Report: Decodable {
        struct Failure: Decodable { let index: Int; let seconds: Double; let error: String }
        let handshakes: Int
        let failures: [Failure]
        let max_ms: Double?
        let scan: [String: Int]
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("bench/stall_stress.py").path

    @Test func handshakesOnAnotherListenerNeverStallDuringAScan() async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(
                server: ["access_log": "\"off\"", "handshake_timeout": "\"10s\""],
                listeners: [.https(), .https()], sites: [.respond(["stall.test"], "ok\n")]))
        defer { proxy.kill() }
        let ports = try #require(proxy.ready?.listeners.map(\.port))
        #expect(ports.count == 2 && ports[0] != ports[1])
        let result = try await ChildProcess.run(
            "/usr/bin/python3",
            ["-W", "ignore", Self.script, "--scan-port", "\(ports[0])", "--probe-port", "\(ports[1])",
             "--server-name", "stall.test", "--handshakes", "500", "--burst", "200", "--held", "100", "--scan-threads", "1", "--seed", "14"],
            within: 120)
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout))
        #expect(result.exitCode == 0, "\(String(decoding: result.stdout, as: UTF8.self)) \(result.stderr)")
        #expect(report.handshakes == 500)
        #expect(report.failures.isEmpty, "stalled or failed probe handshakes: \(report.failures.prefix(5))")
        // The scan really happened: hostile connections were accepted, some held open, some completed.
        #expect((report.scan["connected"] ?? 0) >= 200, "\(report.scan)")
        #expect((report.scan["held"] ?? 0) > 0 && (report.scan["completed"] ?? 0) > 0, "\(report.scan)")
        #expect(!proxy.process.hasExited)
    }
}
