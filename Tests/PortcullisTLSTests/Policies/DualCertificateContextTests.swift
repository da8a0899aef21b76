import PortcullisCertificates
import PortcullisTLS
import Testing

/// A site context may hold one ECDSA and one RSA certificate, never two of one key type.
@Suite struct DualCertificateContextTests {
    @Test func ecdsaAndRSATogether() throws {
        let (ecChain, ecKey) = try SelfSignedGenerator.generate(domains: ["d.test"], keyType: .ec256)
        let (rsaChain, rsaKey) = try SelfSignedGenerator.generate(domains: ["d.test"], keyType: .rsa2048)
        let context = try SiteTLSContext(
            certificates: [(ecChain, ecKey), (rsaChain, rsaKey)], certificateID: 1, sessionIDContext: "d",
            policy: .intermediate)
        #expect(context.keyAlgorithms == [.ecdsa, .rsa])
        let error = #expect(throws: TLSError.self) {
            try SiteTLSContext(
                certificates: [(ecChain, ecKey), (ecChain, ecKey)], certificateID: 1, sessionIDContext: "d",
                policy: .intermediate)
        }
        #expect(error?.description.contains("one per key type") == true)
    }

    @Test func cipherServability() {
        #expect(TLSKeyAlgorithm.ecdsa.canServe(cipher: "ECDHE-ECDSA-AES128-GCM-SHA256"))
        #expect(!TLSKeyAlgorithm.ecdsa.canServe(cipher: "AES128-SHA"))
        #expect(TLSKeyAlgorithm.rsa.canServe(cipher: "DHE-RSA-AES128-GCM-SHA256"))
        #expect(!TLSKeyAlgorithm.rsa.canServe(cipher: "ECDHE-ECDSA-AES128-SHA"))
    }
}
