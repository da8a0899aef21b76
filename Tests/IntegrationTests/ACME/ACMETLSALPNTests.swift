import Foundation
import TestSupport
import Testing

extension ACMEIntegration {
    /// TLS-ALPN-01 (RFC 8737): pebble validates on the proxy's TLS port, and the proxy has no plain
    /// HTTP listener at all.
    @Suite struct ACMETLSALPNTests {
        @Test func siteWithTLSALPNChallengeIsIssuedWithoutAnHTTPListener() async throws {
            let tlsPort = try LoopbackSocket.closedPort()
            let pebble = try await PebbleHarness.start(httpPort: try LoopbackSocket.closedPort(), tlsPort: tlsPort)
            defer { pebble.shutdown() }
            let config =
                [
                    "[server]", "state_dir = \"state\"", "workers = 2", "drain_timeout = 2",
                    "", "[[listener]]", "bind = \"127.0.0.1:\(tlsPort)\"", "tls = true",
                    "", "[[site]]", "hosts = [\"alpn.example.test\", \"www.alpn.example.test\"]",
                    "certificate = \"acme\"",
                    "challenge = \"tls-alpn-01\"", "respond = \"ok\\n\"",
                    "", "[acme]", "directory = \"\(pebble.directoryURL)\"", "email = \"ops@example.com\"",
                    "agree_tos = true",
                    "ca_file = \"\(pebble.endpointCA)\"",
                ].joined(separator: "\n") + "\n"
            let proxy = try await ACMEProxy.start(config: config)
            defer {
                proxy.process.kill()
                proxy.remove()
            }
            #expect(proxy.httpsPort == tlsPort)
            try await proxy.waitForLog("certificate issued", within: 30)
            try await proxy.waitForPebbleCertificate(serverName: "alpn.example.test")
            let root = try await pebble.issuingRoot()
            for name in ["alpn.example.test", "www.alpn.example.test"] {
                let chain = try await proxy.servedChain(serverName: name)
                #expect(
                    try await ACMEPEM.verifies(chain: chain, root: root, host: name, in: proxy.directory), "\(name)")
            }
            // Once the order is over the challenge is withdrawn: acme-tls/1 gets the site's certificate, no ALPN.
            let probe = try await ChildProcess.run(
                "openssl",
                [
                    "s_client", "-connect", "127.0.0.1:\(tlsPort)", "-servername", "alpn.example.test", "-alpn",
                    "acme-tls/1",
                ],
                within: 10)
            let output = String(decoding: probe.stdout, as: UTF8.self)
            #expect(output.contains("No ALPN negotiated") && output.contains("Pebble"), "\(output.suffix(600))")
        }
    }
}
