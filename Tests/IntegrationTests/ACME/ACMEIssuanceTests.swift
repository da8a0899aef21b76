import Foundation
import Testing
import TestSupport

extension ACMEIntegration {
    /// HTTP-01 issuance through the proxy's own challenge responder, against a real Pebble with its
    /// random badNonce rejection on.
    @Suite struct ACMEIssuanceTests {
        /// A two-name site gets one certificate; each name's handshake then serves a chain that verifies
        /// against this Pebble run's root.
        @Test func twoNameSiteIsIssuedAndServed() async throws {
            try await Self.issueAndCheck(nonceReject: 5)
        }

        /// The same with half of all nonces rejected: every POST must survive badNonce.
        @Test func heavyBadNonceIsRetried() async throws {
            let logs = try await Self.issueAndCheck(nonceReject: 50)
            let retries = Self.metadataNumber("bad_nonce_retries", in: logs)
            #expect(retries > 0, "expected badNonce retries with PEBBLE_WFE_NONCEREJECT=50")
        }

        /// A CA that requires external account binding accepts the account with `eab_kid`/`eab_hmac_key`.
        @Test func externalAccountBinding() async throws {
            let httpPort = try LoopbackSocket.closedPort()
            let hmac = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W"
            let pebble = try await PebbleHarness.start(httpPort: httpPort, eabKey: hmac)
            defer { pebble.shutdown() }
            let config = ACMEProxy.config(
                httpPort: httpPort, pebble: pebble, sites: [["eab.example.test"]],
                acmeExtra: ["eab_kid = \"kid-1\"", "eab_hmac_key = \"\(hmac)\""])
            let proxy = try await ACMEProxy.start(config: config)
            defer { proxy.process.kill(); proxy.remove() }
            try await proxy.waitForLog("certificate issued", within: 30)
            #expect(proxy.logs.contains("acme account ready"))
        }

        /// Runs one issuance and checks both names; returns the proxy's logs.
        @discardableResult
        static func issueAndCheck(nonceReject: Int) async throws -> String {
            let httpPort = try LoopbackSocket.closedPort()
            let pebble = try await PebbleHarness.start(httpPort: httpPort, nonceReject: nonceReject)
            defer { pebble.shutdown() }
            let names = ["app.example.test", "www.example.com"]
            let proxy = try await ACMEProxy.start(config: ACMEProxy.config(httpPort: httpPort, pebble: pebble, sites: [names]))
            defer { proxy.process.kill(); proxy.remove() }
            try await proxy.waitForLog("certificate issued", within: 30)
            try await proxy.waitForPebbleCertificate(serverName: names[0])
            let root = try await pebble.issuingRoot()
            for name in names {
                let chain = try await proxy.servedChain(serverName: name)
                let issuer = try await ACMEPEM.field(chain[0], "issuer")
                #expect(issuer.contains("Pebble"), "\(name): issuer \(issuer)")
                #expect(try await ACMEPEM.verifies(chain: chain, root: root, host: name, in: proxy.directory), "\(name)")
            }
            let meta = try String(contentsOfFile: proxy.stateDir + "/certs/app.example.test/meta.json", encoding: .utf8)
            #expect(meta.contains("\"source\" : \"acme\"") && !meta.contains("pending"))
            let mode = try FileManager.default.attributesOfItem(atPath: proxy.stateDir + "/certs/app.example.test/key.pem")[.posixPermissions] as? Int
            #expect(mode == 0o600)
            // The issuance time (the closing note of issue 5 quotes it).
            print(proxy.logs.split(separator: "\n").filter { $0.contains("certificate issued") }.joined(separator: "\n"))
            return proxy.logs
        }

        /// A number from `key=value` log metadata (the last occurrence).
        static func metadataNumber(_ key: String, in logs: String) -> Int {
            guard let range = logs.range(of: key + "=", options: .backwards) else { return -1 }
            return Int(logs[range.upperBound...].prefix { $0.isNumber }) ?? -1
        }
    }
}
