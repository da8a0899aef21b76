import Foundation
import TestSupport
import Testing

/// A site with an ECDSA and an RSA certificate (`key_types`) serves ECDSA to clients that support it
/// and RSA to the rest, so the RSA ciphers of a policy can really be negotiated.
@Suite struct DualCertificateTests {
    @Test func ecdsaForCapableClientsRSAForTheRest() async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(
                listeners: [.https()],
                sites: [
                    SiteSpec(
                        hosts: ["dual.test"], respond: "d\n",
                        extra: [
                            "key_types = [\"ec256\", \"rsa2048\"]",
                            "policy = \"ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06\"",
                        ]),
                    SiteSpec(
                        hosts: ["ec.test"], respond: "e\n",
                        extra: ["policy = \"ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06\""]),
                ]))
        defer { proxy.kill() }
        let cases: [(String, [String], String?)] = [
            ("dual.test", ["-tls1_2"], "256 bit"),
            ("dual.test", PolicyProbes.tls12(["ECDHE-RSA-AES128-GCM-SHA256"]), "2048 bit"),
            ("dual.test", PolicyProbes.tls12(["AES128-GCM-SHA256"]), "2048 bit"),
            ("dual.test", ["-tls1_3"], "256 bit"),
            ("dual.test", ["-tls1_3", "-sigalgs", "rsa_pss_rsae_sha256:rsa_pkcs1_sha256"], "2048 bit"),
            ("ec.test", PolicyProbes.tls12(["ECDHE-RSA-AES128-GCM-SHA256"]), nil),
        ]
        let outcomes = try await PolicyProbes.run(
            port: proxy.httpsPort, sni: "", cases.map { ["-servername", $0.0] + $0.1 })
        for ((host, flags, key), outcome) in zip(cases, outcomes) {
            if let key {
                #expect(outcome.output.contains("Server public key is \(key)"), "\(host) \(flags)")
            } else {
                #expect(!outcome.accepted, "\(host) has no RSA certificate: \(flags)")
            }
        }
    }
}
