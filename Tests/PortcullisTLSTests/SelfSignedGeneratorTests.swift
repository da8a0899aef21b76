import Foundation
import PortcullisCertificates
import PortcullisTLS
import Testing

@Suite struct SelfSignedGeneratorTests {
    @Test(arguments: KeyType.allCases)
    func generatesRequestedKeyAndNames(_ keyType: KeyType) throws {
        let domains = ["shop.example.com", "*.shop.example.com", "example.net"]
        let (chain, key) = try SelfSignedGenerator.generate(domains: domains, keyType: keyType, days: 30)
        let summary = try CertificateSummary(chainPEM: chain)
        #expect(summary.commonName == "shop.example.com")
        #expect(summary.dnsNames == domains)
        #expect(summary.keyType == keyType)
        let lifetime = summary.notAfter.timeIntervalSince(summary.notBefore)
        #expect(abs(lifetime - (30 * 86_400 + 3_600)) < 5)
        #expect(key.contains("-----BEGIN PRIVATE KEY-----"))
        _ = try SiteTLSContext(
            chainPEM: chain, keyPEM: key, certificateID: 0, sessionIDContext: "t", policy: .intermediate)
    }

    @Test func opensslAgreesOnTheExtensions() throws {
        let directory = try TemporaryDirectory()
        let (chain, _) = try SelfSignedGenerator.generate(domains: ["a.test", "*.a.test"])
        try chain.write(toFile: directory.file("chain.pem"), atomically: true, encoding: .utf8)
        let result = try Subprocess.run(["openssl", "x509", "-in", directory.file("chain.pem"), "-noout", "-text"])
        #expect(result.status == 0)
        let text = result.output
        #expect(text.contains("Subject: CN = a.test"))
        #expect(text.contains("Issuer: CN = a.test"))
        #expect(text.contains("DNS:a.test, DNS:*.a.test"))
        #expect(text.contains("TLS Web Server Authentication"))
        #expect(text.contains("CA:FALSE"))
        #expect(text.contains("ASN1 OID: prime256v1"))
    }

    @Test func serialsAreRandom() throws {
        let first = try CertificateSummary(chainPEM: try SelfSignedGenerator.generate(domains: ["a.test"]).chainPEM)
        let second = try CertificateSummary(chainPEM: try SelfSignedGenerator.generate(domains: ["a.test"]).chainPEM)
        #expect(first.serialHex != second.serialHex)
        #expect(first.serialHex.count == 32)
    }

    @Test(arguments: [[], ["a.test,IP:1.2.3.4"], ["bad name"], [""]])
    func refusesBadDomains(_ domains: [String]) {
        #expect(throws: CertificateStoreError.self) { try SelfSignedGenerator.generate(domains: domains) }
    }
}
