import PortcullisCertificates
import PortcullisTLS
import Testing

@Suite struct SiteTLSContextTests {
    @Test func acceptsMatchingPairAndRecordsID() throws {
        let (chain, key) = try SelfSignedGenerator.generate(domains: ["a.test"])
        let context = try SiteTLSContext(
            chainPEM: chain, keyPEM: key, certificateID: 7, sessionIDContext: "site a.test", policy: .intermediate)
        #expect(context.certificateID == 7)
    }

    @Test func rejectsMismatchedKey() throws {
        let (chain, _) = try SelfSignedGenerator.generate(domains: ["a.test"])
        let (_, otherKey) = try SelfSignedGenerator.generate(domains: ["a.test"])
        let error = #expect(throws: TLSError.self) {
            try SiteTLSContext(
                chainPEM: chain, keyPEM: otherKey, certificateID: 0, sessionIDContext: "x", policy: .intermediate)
        }
        #expect(error?.description.contains("the private key does not match the certificate") == true)
    }

    @Test func rejectsGarbage() throws {
        let (chain, key) = try SelfSignedGenerator.generate(domains: ["a.test"])
        #expect(throws: TLSError.self) {
            try SiteTLSContext(chainPEM: "nope", keyPEM: key, certificateID: 0, sessionIDContext: "x", policy: .intermediate)
        }
        #expect(throws: TLSError.self) {
            try SiteTLSContext(chainPEM: chain, keyPEM: "nope", certificateID: 0, sessionIDContext: "x", policy: .intermediate)
        }
        var lines = chain.split(separator: "\n", omittingEmptySubsequences: false)
        lines.remove(at: 4)  // a missing base64 line truncates the DER
        let damaged = lines.joined(separator: "\n")
        #expect(throws: TLSError.self) {
            try SiteTLSContext(chainPEM: damaged, keyPEM: key, certificateID: 0, sessionIDContext: "x", policy: .intermediate)
        }
    }

    @Test func rejectsUnknownPolicyValues() throws {
        let (chain, key) = try SelfSignedGenerator.generate(domains: ["a.test"])
        var policy = TLSPolicySettings.intermediate
        policy.groups = "not-a-group"
        let error = #expect(throws: TLSError.self) {
            try SiteTLSContext(chainPEM: chain, keyPEM: key, certificateID: 0, sessionIDContext: "x", policy: policy)
        }
        #expect(error?.description.contains("setting the groups \"not-a-group\"") == true)
    }

    @Test func registryInternsStably() {
        let registry = CertificateRegistry()
        #expect(registry.id(for: "a") == 0)
        #expect(registry.id(for: "b") == 1)
        #expect(registry.id(for: "a") == 0)
        #expect(registry.name(for: 1) == "b")
        #expect(registry.name(for: 9) == nil)
    }
}
