import Foundation
import Testing
import TestSupport

/// An invalid certificate dropped into the store under a live site is logged and ignored: the last
/// good certificate stays in service, and later valid changes still apply.
@Suite struct InvalidStoreFileTests {
    @Test func garbageChainKeepsTheOldCertificate() async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(listeners: [.https()], sites: [.respond(["live.test"], "ok\n"), .respond(["other.test"], "other\n")]))
        defer { proxy.kill() }
        let cli = CertsCLI(configPath: proxy.configPath)
        let before = try await TLSProbe.handshake(port: proxy.httpsPort, serverName: "live.test")
        let folder = proxy.stateDir + "/certs/live.test"
        try "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n"
            .write(toFile: folder + "/chain.pem", atomically: true, encoding: .utf8)
        try await proxy.waitForLog("ignoring invalid certificate in the store")
        #expect(proxy.logs.contains("certificate=live.test"))
        let after = try await TLSProbe.handshake(port: proxy.httpsPort, serverName: "live.test")
        #expect(CertsCLI.identity(pem: TLSProbe.certsFirstPEM(after.rawOutput)) == CertsCLI.identity(pem: TLSProbe.certsFirstPEM(before.rawOutput)))

        // Meanwhile another certificate's change still applies, and the damaged one stays ignored.
        #expect(try await cli.run(["selfsign", "--name", "other.test", "--domain", "other.test"]).exitCode == 0)
        let otherIdentity = try cli.leafIdentity("other.test")
        try await eventually(within: 5, "the other site's new certificate") {
            let hello = try await TLSProbe.handshake(port: proxy.httpsPort, serverName: "other.test")
            return CertsCLI.identity(pem: TLSProbe.certsFirstPEM(hello.rawOutput)) == otherIdentity
        }
        let still = try await TLSProbe.handshake(port: proxy.httpsPort, serverName: "live.test")
        #expect(CertsCLI.identity(pem: TLSProbe.certsFirstPEM(still.rawOutput)) == CertsCLI.identity(pem: TLSProbe.certsFirstPEM(before.rawOutput)))
        #expect(!proxy.logs.contains("certificate reload failed"))

        // A valid replacement is picked up again.
        let result = try await cli.run(["selfsign", "--name", "live.test", "--domain", "live.test", "--key-type", "ec384"])
        #expect(result.exitCode == 0)
        let identity = try cli.leafIdentity("live.test")
        try await eventually(within: 5, "the repaired certificate") {
            let hello = try await TLSProbe.handshake(port: proxy.httpsPort, serverName: "live.test")
            return CertsCLI.identity(pem: TLSProbe.certsFirstPEM(hello.rawOutput)) == identity
        }
    }
}

extension TLSProbe {
    /// The first PEM certificate in `s_client -showcerts` output.
    static func certsFirstPEM(_ text: String) -> String {
        guard let start = text.range(of: "-----BEGIN CERTIFICATE-----"),
            let end = text.range(of: "-----END CERTIFICATE-----", range: start.upperBound..<text.endIndex)
        else { return "" }
        return String(text[start.lowerBound..<end.upperBound])
    }
}
