import Foundation
import PortcullisCertificates
import Testing

/// Every import path of docs/REFERENCE.md, certificate store with real files made by `openssl`: what is accepted, how the chain
/// is stored, and that each refusal is one sentence and leaves the store unchanged.
@Suite struct ImportTests {
    let pki: PKI
    let temporary = TemporaryStore()

    init() throws {
        self.pki = try PKI()
        try self.pki.leaf("shop", sans: ["shop.test", "www.shop.test"])
    }

    func pem(cert: String, chain: String? = nil, ca: String? = nil, key: String = "shop.key") -> CertificateImportRequest.Source {
        .pem(certificate: self.pki.path(cert), chain: chain.map(self.pki.path), caBundle: ca.map(self.pki.path), key: self.pki.path(key))
    }

    func importing(_ source: CertificateImportRequest.Source, force: Bool = false, now: Date = Date()) throws -> CertificateImportResult {
        try CertificateImporter.importCertificate(
            CertificateImportRequest(name: "shop", source: source, force: force), into: self.temporary.store, now: now)
    }

    /// Number of certificates in the stored chain.
    func storedChainCount() throws -> Int {
        try #require(try self.temporary.store.load(name: "shop")).chainPEM.components(separatedBy: "BEGIN CERTIFICATE").count - 1
    }

    @Test func pemWithSeparateChain() throws {
        let result = try self.importing(self.pem(cert: "shop.crt", chain: "int.crt", ca: "root.crt"))
        #expect(result.warnings.isEmpty)
        #expect(result.certificate.metadata.chainIncomplete == nil)
        #expect(result.certificate.metadata.domains == ["shop.test", "www.shop.test"])
        #expect(try self.storedChainCount() == 2)
    }

    @Test func pemBundleOutOfOrderIsPutInOrder() throws {
        try self.pki.write("bundle.pem", try self.pki.read("int.crt") + self.pki.read("shop.crt"))
        let result = try self.importing(self.pem(cert: "bundle.pem", ca: "root.crt"))
        #expect(result.warnings.contains { $0.contains("out of order") })
        let chain = try #require(try self.temporary.store.load(name: "shop")).chainPEM
        #expect(chain.hasPrefix(try self.pki.read("shop.crt").trimmingCharacters(in: .newlines).components(separatedBy: "\n")[0]))
        let stored = try CertificateSummary(chainPEM: chain)
        #expect(stored.commonName == "shop.test")
        #expect(try self.storedChainCount() == 2)
    }

    @Test(arguments: [false, true])
    func pkcs12(legacy: Bool) throws {
        let pfx = try self.pki.pfx("shop", extra: ["int", "root"], password: "s3cret", legacy: legacy)
        let result = try self.importing(.pkcs12(path: pfx, passwordFile: self.pki.path("shop.pw")))
        #expect(result.certificate.metadata.chainIncomplete == nil)
        #expect(result.summary.dnsNames == ["shop.test", "www.shop.test"])
        #expect(try self.storedChainCount() == 2, "the root is not served")
    }

    @Test func wrongPFXPasswordIsRefused() throws {
        let pfx = try self.pki.pfx("shop", extra: ["int"], password: "right", legacy: true)
        try self.pki.write("wrong.pw", "wrong\n")
        try self.expectRefusal(.wrongPassword(path: pfx)) {
            try self.importing(.pkcs12(path: pfx, passwordFile: self.pki.path("wrong.pw")))
        }
    }

    @Test func keyMismatchIsRefused() throws {
        try self.pki.leaf("other", sans: ["other.test"])
        try self.expectRefusal(.keyMismatch) { try self.importing(self.pem(cert: "shop.crt", key: "other.key")) }
    }

    @Test func expiredIsRefusedUnlessForced() throws {
        try self.pki.leaf("old", sans: ["old.test"], days: -1)
        let source = self.pem(cert: "old.crt", key: "old.key")
        #expect(throws: CertificateImportError.self) { try self.importing(source) }
        #expect(try self.temporary.store.load(name: "shop") == nil)
        let forced = try self.importing(source, force: true)
        #expect(forced.warnings.contains { $0.contains("expired") && $0.contains("--force") })
    }

    @Test func notYetValidIsRefusedUnlessForced() throws {
        let past = Date().addingTimeInterval(-3 * 86_400)
        #expect(throws: CertificateImportError.self) { try self.importing(self.pem(cert: "shop.crt"), now: past) }
        let forced = try self.importing(self.pem(cert: "shop.crt"), force: true, now: past)
        #expect(forced.warnings.contains { $0.contains("not valid before") })
    }

    @Test func missingIntermediateIsAcceptedAsChainIncomplete() throws {
        let result = try self.importing(self.pem(cert: "shop.crt", ca: "root.crt"))
        #expect(result.certificate.metadata.chainIncomplete == true)
        #expect(result.warnings.contains { $0.contains("chain is incomplete") })
    }

    @Test func leafThatIsACAIsRefused() throws {
        try self.expectRefusal(.leafIsCA(subject: "CN=Test Intermediate")) {
            try self.importing(self.pem(cert: "int.crt", chain: "root.crt", key: "int.key"))
        }
    }

    @Test func unsupportedKeyTypeIsRefused() throws {
        try self.pki.leaf("ed", sans: ["ed.test"], key: ["ed25519"])
        try self.expectRefusal(.unsupportedKeyType("ED25519")) { try self.importing(self.pem(cert: "ed.crt", key: "ed.key")) }
    }

    @Test func unreadableFilesAreRefused() throws {
        try self.pki.write("junk.pem", "not a certificate\n")
        try self.expectRefusal(.notACertificate(path: self.pki.path("junk.pem"))) {
            try self.importing(self.pem(cert: "junk.pem"))
        }
        try self.expectRefusal(.notAKey(path: self.pki.path("junk.pem"))) {
            try self.importing(self.pem(cert: "shop.crt", key: "junk.pem"))
        }
        try self.expectRefusal(.notAPFX(path: self.pki.path("junk.pem"))) {
            try self.importing(.pkcs12(path: self.pki.path("junk.pem"), passwordFile: self.pki.path("junk.pem")))
        }
    }

    @Test func derCertificateAndKeyAreAccepted() throws {
        try self.pki.run(["x509", "-in", self.pki.path("shop.crt"), "-outform", "DER", "-out", self.pki.path("shop.der")])
        try self.pki.run(["pkey", "-in", self.pki.path("shop.key"), "-outform", "DER", "-out", self.pki.path("shop.key.der")])
        let result = try self.importing(self.pem(cert: "shop.der", chain: "int.crt", key: "shop.key.der"))
        #expect(result.summary.commonName == "shop.test")
    }

    @Test func replacingKeepsOnePreviousVersionForRollback() throws {
        _ = try self.importing(self.pem(cert: "shop.crt", chain: "int.crt"))
        try self.pki.leaf("next", sans: ["shop.test"])
        _ = try self.importing(self.pem(cert: "next.crt", chain: "int.crt", key: "next.key"))
        #expect(try self.summary().dnsNames == ["shop.test"])
        try self.temporary.store.rollback(name: "shop")
        #expect(try self.summary().dnsNames == ["shop.test", "www.shop.test"])
        try self.temporary.store.rollback(name: "shop")
        #expect(try self.summary().dnsNames == ["shop.test"])
    }

    @Test func keyFileIsPrivate() throws {
        _ = try self.importing(self.pem(cert: "shop.crt", chain: "int.crt"))
        let attributes = try FileManager.default.attributesOfItem(atPath: self.temporary.store.layout.keyPath(name: "shop"))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    func summary() throws -> CertificateSummary {
        try CertificateSummary(chainPEM: try #require(try self.temporary.store.load(name: "shop")).chainPEM)
    }

    /// The import fails with exactly `expected`, and the store is byte-for-byte what it was.
    func expectRefusal(_ expected: CertificateImportError, _ body: () throws -> Any) throws {
        _ = try? CertificateImporter.importCertificate(
            CertificateImportRequest(name: "shop", source: self.pem(cert: "shop.crt", chain: "int.crt")), into: self.temporary.store)
        let before = self.temporary.snapshot()
        #expect(throws: expected) { _ = try body() }
        #expect(self.temporary.snapshot() == before, "the store is unchanged")
        #expect(!expected.description.contains("\n"))
    }
}
