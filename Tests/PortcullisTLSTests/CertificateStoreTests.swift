import Foundation
import PortcullisCertificates
import Testing

@Suite struct CertificateStoreTests {
    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? Int ?? -1) & 0o777
    }

    @Test func atomicFileWritesWithModeAndLeavesNoTemporaries() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("key.pem")
        try AtomicFile.write(Array("one".utf8), to: path, mode: 0o600)
        #expect(try self.mode(path) == 0o600)
        try AtomicFile.write(Array("two".utf8), to: path, mode: 0o640)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "two")
        #expect(try self.mode(path) == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["key.pem"])
        #expect(throws: CertificateStoreError.self) {
            try AtomicFile.write([1], to: directory.file("missing/x"), mode: 0o600)
        }
    }

    @Test(arguments: [
        ("example.com", "example.com"), ("*.example.com", "_wildcard.example.com"),
        ("../etc", "%2E.%2Fetc"), ("a/b", "a%2Fb"), ("50%", "50%25"), (".hidden", "%2Ehidden"), ("", "%"),
    ])
    func layoutSanitisesNames(_ name: String, _ folder: String) {
        #expect(StoreLayout.safeFolderName(name) == folder)
        let layout = StoreLayout(stateDir: "/var/lib/portcullis/")
        #expect(layout.keyPath(name: name) == "/var/lib/portcullis/certs/\(folder)/key.pem")
    }

    @Test func ensureSelfSignedIsIdempotentAndRegeneratesOnNewDomains() throws {
        let directory = try TemporaryDirectory()
        let store = CertificateStore(layout: StoreLayout(stateDir: directory.path))
        #expect(try store.load(name: "a.test") == nil)
        let first = try store.ensureSelfSigned(name: "a.test", domains: ["a.test"])
        let second = try store.ensureSelfSigned(name: "a.test", domains: ["a.test"])
        #expect(first == second)
        #expect(try store.load(name: "a.test") == first)
        #expect(try self.mode(store.layout.keyPath(name: "a.test")) == 0o600)
        #expect(first.metadata.source == .selfSigned && first.metadata.domains == ["a.test"])
        let third = try store.ensureSelfSigned(name: "a.test", domains: ["a.test", "www.a.test"])
        #expect(third.chainPEM != first.chainPEM)
        #expect(try CertificateSummary(chainPEM: third.chainPEM).dnsNames == ["a.test", "www.a.test"])
        #expect(try store.load(name: "a.test") == third)
        let entries = try FileManager.default.contentsOfDirectory(atPath: store.layout.certificatesDirectory)
        #expect(entries == ["a.test"])  // no staging folder left behind
    }

    @Test func neverOverwritesAUserCertificate() throws {
        let directory = try TemporaryDirectory()
        let store = CertificateStore(layout: StoreLayout(stateDir: directory.path))
        let (chain, key) = try SelfSignedGenerator.generate(domains: ["shop.test"], keyType: .rsa2048)
        let user = StoredCertificate(
            name: "shop.test", chainPEM: chain, keyPEM: key,
            metadata: CertificateMetadata(source: .user, domains: ["shop.test"], created: "2026-01-01T00:00:00Z"))
        try store.save(user)
        #expect(try store.ensureSelfSigned(name: "shop.test", domains: ["other.test"]) == user)
        #expect(try store.load(name: "shop.test") == user)
    }

    @Test func regeneratesAnExpiringSelfSignedCertificate() throws {
        let directory = try TemporaryDirectory()
        let store = CertificateStore(layout: StoreLayout(stateDir: directory.path))
        let (chain, key) = try SelfSignedGenerator.generate(domains: ["a.test"], days: 10)
        let expiring = StoredCertificate(
            name: "a.test", chainPEM: chain, keyPEM: key,
            metadata: CertificateMetadata(source: .selfSigned, domains: ["a.test"], created: "2026-01-01T00:00:00Z"))
        try store.save(expiring)
        let renewed = try store.ensureSelfSigned(name: "a.test", domains: ["a.test"])
        #expect(renewed.chainPEM != chain)
        #expect(try CertificateSummary(chainPEM: renewed.chainPEM).notAfter > Date().addingTimeInterval(300 * 86_400))
    }

    @Test func keepsAnIssuedACMECertificateButReplacesAPlaceholder() throws {
        let directory = try TemporaryDirectory()
        let store = CertificateStore(layout: StoreLayout(stateDir: directory.path))
        let placeholder = try store.prepareGenerated(name: "a.test", domains: ["a.test"], kind: .acmePlaceholder)
        #expect(placeholder.needsSave && placeholder.certificate.metadata.isPending)
        try store.save(placeholder.certificate)
        #expect(try store.prepareGenerated(name: "a.test", domains: ["a.test"], kind: .acmePlaceholder).needsSave == false)
        #expect(try store.prepareGenerated(name: "a.test", domains: ["b.test"], kind: .acmePlaceholder).needsSave)
        var issued = placeholder.certificate
        issued.metadata.pending = nil
        try store.save(issued)
        let kept = try store.prepareGenerated(name: "a.test", domains: ["b.test"], kind: .selfSigned)
        #expect(!kept.needsSave && kept.certificate == issued)
    }

    @Test func metadataIsReadableJSON() throws {
        let directory = try TemporaryDirectory()
        let store = CertificateStore(layout: StoreLayout(stateDir: directory.path))
        _ = try store.ensureSelfSigned(name: "*.a.test", domains: ["*.a.test"])
        let text = try String(contentsOfFile: directory.file("certs/_wildcard.a.test/meta.json"), encoding: .utf8)
        #expect(text.contains("\"source\" : \"self-signed\""))
        #expect(text.contains("\"domains\" : [\n    \"*.a.test\"\n  ]"))
        #expect(text.contains("\"created\" : \"20"))
        #expect(!text.contains("pending"))
    }
}
