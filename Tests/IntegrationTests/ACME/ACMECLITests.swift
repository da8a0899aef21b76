import Foundation
import Testing
import TestSupport

extension ACMEIntegration {
    /// `portcullis acme account | renew | revoke` beside a running proxy (which answers HTTP-01 for the
    /// CLI from the shared `acme-challenges` folder), and `renew` with the proxy stopped.
    @Suite struct ACMECLITests {
        @Test func accountRenewRevokeAndRenewWithoutAListener() async throws {
            let httpPort = try LoopbackSocket.closedPort()
            let pebble = try await PebbleHarness.start(httpPort: httpPort)
            defer { pebble.shutdown() }
            let proxy = try await ACMEProxy.start(config: ACMEProxy.config(httpPort: httpPort, pebble: pebble, sites: [["cli.example.test"]]))
            defer { proxy.process.kill(); proxy.remove() }
            try await proxy.waitForLog("certificate issued", within: 30)
            let config = proxy.directory + "/proxy.conf"
            let chainPath = proxy.stateDir + "/certs/cli.example.test/chain.pem"
            let firstSerial = try await ACMEPEM.field(try String(contentsOfFile: chainPath, encoding: .utf8), "serial")

            let account = try await Self.cli(["acme", "account", "--config", config])
            #expect(account.code == 0, "\(account.output)")
            #expect(account.output.contains("account:    https://127.0.0.1:\(pebble.acmePort)/"), "\(account.output)")
            #expect(account.output.contains("thumbprint: ") && account.output.contains("mailto:ops@example.com"))

            let renew = try await Self.cli(["acme", "renew", "cli.example.test", "--config", config])
            #expect(renew.code == 0, "\(renew.output)")
            #expect(renew.output.contains("renewed \"cli.example.test\""))
            let secondSerial = try await ACMEPEM.field(try String(contentsOfFile: chainPath, encoding: .utf8), "serial")
            #expect(secondSerial != firstSerial)

            let revoke = try await Self.cli(["acme", "revoke", "cli.example.test", "--reason", "4", "--config", config])
            #expect(revoke.code == 0, "\(revoke.output)")
            let status = try await pebble.certificateStatus(serialHex: secondSerial)
            #expect(status["Status"] as? String == "Revoked", "\(status)")
            #expect(status["Reason"] as? Int == 4, "\(status)")

            await proxy.stop()
            let offline = try await Self.cli(["acme", "renew", "cli.example.test", "--config", config])
            #expect(offline.code == 1)
            #expect(offline.output.contains("no HTTP listener answers on 127.0.0.1:\(httpPort)"), "\(offline.output)")
        }

        /// Runs the CLI; returns the exit code and stdout + stderr.
        static func cli(_ arguments: [String]) async throws -> (code: Int32, output: String) {
            let result = try await ChildProcess.run(try ProxyUnderTest.binary(), arguments, within: 30)
            return (result.exitCode, String(decoding: result.stdout, as: UTF8.self) + result.stderr)
        }
    }
}
