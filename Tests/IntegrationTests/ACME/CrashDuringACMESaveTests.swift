import Foundation
import Testing
import TestSupport

extension ACMEIntegration {
    /// SIGKILL at random moments of `portcullis acme renew` against Pebble, aimed at the end of the
    /// order, where the issued chain is checked against the key and written to the store (the same
    /// `ACMEWorker.install` the running proxy's ACME thread uses): after every kill the store loads and
    /// the certificate is, whole, either the one before the renewal or a new Pebble-issued one whose key
    /// matches (`certs list` says `valid`). Part of issue 14's Build-this item 4.
    @Suite struct CrashDuringACMESaveTests {
        @Test func killedRenewalsLeaveOldOrNewCertificate() async throws {
            let httpPort = try LoopbackSocket.closedPort()
            let pebble = try await PebbleHarness.start(httpPort: httpPort)
            defer { pebble.shutdown() }
            let proxy = try await ACMEProxy.start(config: ACMEProxy.config(httpPort: httpPort, pebble: pebble, sites: [["kill.example.test"]]))
            defer { proxy.process.kill(); proxy.remove() }
            try await proxy.waitForLog("certificate issued", within: 30)
            let cli = CertsCLI(configPath: proxy.directory + "/proxy.conf")
            let name = "kill.example.test"
            let binary = try ProxyUnderTest.binary()
            let renew = ["acme", "renew", name, "--config", cli.configPath]

            // One whole renewal, timed: the kills land between 0.4 and 1.3 times its length.
            let started = ContinuousClock.now
            let whole = try await ChildProcess.run(binary, renew, within: 60)
            #expect(whole.exitCode == 0, "\(whole.stderr)")
            let elapsed = ContinuousClock.now - started
            let window = UInt32(min(2_000_000, Int(elapsed.components.seconds) * 1_000_000 + Int(elapsed.components.attoseconds / 1_000_000_000_000)))
            var identity = try cli.leafIdentity(name)
            var replaced = 0
            let iterations = Int(ProcessInfo.processInfo.environment["PORTCULLIS_CRASH_ITERATIONS"] ?? "") ?? 20
            for run in 0..<iterations {
                let child = try ChildProcess(binary, renew)
                usleep(UInt32.random(in: (window * 2 / 5)...(window * 13 / 10)))
                child.kill()
                _ = try? await child.waitForExit(within: 10)
                let rows = try await cli.list()
                let row = try #require(rows.first { $0["name"] as? String == name }, "run \(run)")
                #expect(row["status"] as? String == "valid", "run \(run): \(row)")
                #expect(row["source"] as? String == "acme", "run \(run): \(row)")
                #expect((row["issuer"] as? String ?? "").contains("Pebble"), "run \(run): \(row)")
                let now = try cli.leafIdentity(name)
                if now != identity { replaced += 1 }
                identity = now
            }
            print("CrashDuringACMESaveTests: \(replaced) of \(iterations) killed renewals had saved the new certificate (window \(window) µs)")
            // The running proxy still loads the store and serves the certificate it holds now.
            try await proxy.waitForPebbleCertificate(serverName: name)
        }
    }
}
