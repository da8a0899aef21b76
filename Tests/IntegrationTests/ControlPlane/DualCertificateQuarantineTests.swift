import Foundation
import TestSupport
import Testing

/// A site serving an ECDSA and an RSA certificate: when the ECDSA files are damaged while the RSA
/// one is replaced, the damaged certificate is quarantined (its last good version stays, by name)
/// and the new RSA certificate still goes live. The whole reload must not fail, and the fallback
/// must not hand the RSA pair to the ECDSA name.
@Suite struct DualCertificateQuarantineTests {
    static let ecdsa = ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"]
    static let rsa = ["-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"]

    @Test func damagedECDSAFileIsQuarantinedWhileRSASwaps() async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(listeners: [.https()], sites: [.respond(["boot.test"], "boot\n")]))
        defer { proxy.kill() }
        let cli = CertsCLI(configPath: proxy.configPath)
        try await cli.run(["selfsign", "--name", "shop-ec", "--domain", "dual.test"])
        try await cli.run(["selfsign", "--name", "shop-rsa", "--domain", "dual.test", "--key-type", "rsa2048"])
        try proxy.writeConfig(text: try String(contentsOfFile: proxy.configPath, encoding: .utf8) + """

            [[site]]
            hosts = ["dual.test"]
            certificate = ["shop-ec", "shop-rsa"]
            respond = "dual\\n"

            """)
        proxy.sendSignal(SIGHUP)
        try await proxy.waitForGeneration(2)
        let ecIdentity = try cli.leafIdentity("shop-ec")
        let port = proxy.httpsPort
        let servedEC = try await TLSProbe.handshake(port: port, serverName: "dual.test", extraArguments: Self.ecdsa)
        #expect(CertsCLI.identity(pem: servedEC.rawOutput) == ecIdentity)

        // Damage the ECDSA chain in place, and replace the RSA certificate.
        try "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n"
            .write(toFile: proxy.stateDir + "/certs/shop-ec/chain.pem", atomically: false, encoding: .utf8)
        try await cli.run(["selfsign", "--name", "shop-rsa", "--domain", "dual.test", "--key-type", "rsa2048"])
        let newRSA = try cli.leafIdentity("shop-rsa")
        try await eventually(within: 10, "the new RSA certificate to be served") {
            let served = try? await TLSProbe.handshake(port: port, serverName: "dual.test", extraArguments: Self.rsa)
            return served.map { CertsCLI.identity(pem: $0.rawOutput) } == newRSA
        }
        let stillEC = try await TLSProbe.handshake(port: port, serverName: "dual.test", extraArguments: Self.ecdsa)
        #expect(CertsCLI.identity(pem: stillEC.rawOutput) == ecIdentity, "the last good ECDSA version stays")
        #expect(proxy.logs.contains("ignoring invalid certificate"), "the damaged certificate is logged")
    }
}
