import Foundation
import Testing
import TestSupport

extension ACMEIntegration {
    /// Automatic renewal: Pebble issues 12-second certificates and the proxy renews at 75 % of the
    /// lifetime; a client handshaking in a loop meanwhile never fails and then sees the new serial.
    @Suite struct ACMERenewalTests {
        @Test func shortLivedCertificateIsRenewedWithoutFailedHandshakes() async throws {
            let httpPort = try LoopbackSocket.closedPort()
            let pebble = try await PebbleHarness.start(httpPort: httpPort, validity: 12)
            defer { pebble.shutdown() }
            let config = ACMEProxy.config(httpPort: httpPort, pebble: pebble, sites: [["renew.example.test"]], acmeExtra: ["renew_remaining = 0.75"])
            let proxy = try await ACMEProxy.start(config: config)
            defer { proxy.process.kill(); proxy.remove() }
            try await proxy.waitForLog("certificate issued", within: 30)
            try await proxy.waitForPebbleCertificate(serverName: "renew.example.test")
            let first = try await ACMEPEM.field(try await proxy.servedChain(serverName: "renew.example.test")[0], "serial")

            let probe = ACMEHandshakeLoop(port: proxy.httpsPort, serverName: "renew.example.test")
            let loop = Task { await probe.run() }
            // The renewal is automatic (at 75 % of the 12 s lifetime); wait until a handshake sees it.
            let second = try await eventuallyValue(within: 40, poll: 0.2, "a renewed certificate") { () -> String? in
                let serial = try await ACMEPEM.field(try await proxy.servedChain(serverName: "renew.example.test")[0], "serial")
                return serial != first ? serial : nil
            }
            try await Task.sleep(for: .milliseconds(300))
            probe.stop()
            let (ok, failed) = await loop.value
            #expect(failed == 0, "failed handshakes during renewal")
            #expect(ok > 0)
            #expect(first != second, "the renewed certificate has a new serial")
            let issuer = try await ACMEPEM.field(try await proxy.servedChain(serverName: "renew.example.test")[0], "issuer")
            #expect(issuer.contains("Pebble"))
        }

        /// A restart with a valid certificate in the store orders nothing: the renewal check at start
        /// finds it far from its renewal time and the same certificate is served.
        @Test func restartKeepsAValidCertificate() async throws {
            let httpPort = try LoopbackSocket.closedPort()
            let pebble = try await PebbleHarness.start(httpPort: httpPort)
            defer { pebble.shutdown() }
            let config = ACMEProxy.config(httpPort: httpPort, pebble: pebble, sites: [["keep.example.test"]])
            let first = try await ACMEProxy.start(config: config)
            defer { first.process.kill(); first.remove() }
            try await first.waitForPebbleCertificate(serverName: "keep.example.test")
            let serial = try await ACMEPEM.field(try await first.servedChain(serverName: "keep.example.test")[0], "serial")
            await first.stop()

            let second = try await ACMEProxy.start(config: config, directory: first.directory)
            defer { second.process.kill() }
            let served = try await ACMEPEM.field(try await second.servedChain(serverName: "keep.example.test")[0], "serial")
            #expect(served == serial)
            try await Task.sleep(for: .seconds(1))
            #expect(!second.logs.contains("certificate issued"), "\(second.logs)")
            #expect(!second.logs.contains("temporary self-signed"))
        }
    }
}

/// Handshakes with `openssl s_client` back to back until stopped; counts successes and failures.
final class ACMEHandshakeLoop: @unchecked Sendable {  // `stopped` is behind a lock
    let port: UInt16
    let serverName: String
    private let stopped = NSLock()
    private var isStopped = false

    init(port: UInt16, serverName: String) {
        self.port = port
        self.serverName = serverName
    }

    func stop() { self.stopped.withLock { self.isStopped = true } }

    /// Runs until `stop()`; returns (successful, failed) handshakes.
    func run() async -> (Int, Int) {
        var (ok, failed) = (0, 0)
        while !self.stopped.withLock({ self.isStopped }) {
            let result = try? await ChildProcess.run(
                "openssl", ["s_client", "-connect", "127.0.0.1:\(self.port)", "-servername", self.serverName], within: 10)
            let text = result.map { String(decoding: $0.stdout, as: UTF8.self) } ?? ""
            if result?.exitCode == 0, text.contains("BEGIN CERTIFICATE") || text.contains("Server certificate") { ok += 1 } else { failed += 1 }
        }
        return (ok, failed)
    }
}
