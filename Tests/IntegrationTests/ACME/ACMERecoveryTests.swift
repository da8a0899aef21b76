import Foundation
import Testing
import TestSupport

extension ACMEIntegration {
    /// The CA is down at start: the order fails with a recorded reason and next attempt, the temporary
    /// self-signed certificate stays in service, and issuance succeeds once the CA is back.
    @Suite struct ACMERecoveryTests {
        @Test func failedWhileCADownThenRecovers() async throws {
            let httpPort = try LoopbackSocket.closedPort()
            let pebble = try await PebbleHarness.start(httpPort: httpPort)
            defer { pebble.shutdown() }
            try await pebble.stopPebble()
            let proxy = try await ACMEProxy.start(config: ACMEProxy.config(httpPort: httpPort, pebble: pebble, sites: [["down.example.test"]]))
            defer { proxy.process.kill(); proxy.remove() }
            try await proxy.waitForLog("acme order failed", within: 20)

            let statePath = proxy.stateDir + "/acme/orders/down.example.test.json"
            let state = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: statePath))) as? [String: Any]
            #expect(state?["phase"] as? String == "failed")
            #expect((state?["problem"] as? String)?.contains("directory") == true, "\(state ?? [:])")
            #expect(state?["nextAttempt"] != nil)
            #expect(proxy.logs.contains("serving a temporary self-signed certificate"))
            let placeholder = try await proxy.servedChain(serverName: "down.example.test")
            #expect(try await ACMEPEM.field(placeholder[0], "issuer").contains("down.example.test"))

            try await pebble.startPebble()
            try await proxy.waitForLog("certificate issued", within: 30)
            try await proxy.waitForPebbleCertificate(serverName: "down.example.test")
            let issued = try await proxy.servedChain(serverName: "down.example.test")
            #expect(try await ACMEPEM.field(issued[0], "issuer").contains("Pebble"))
        }
    }
}
