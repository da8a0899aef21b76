import Foundation
import PortcullisCertificates
import PortcullisConfig
import PortcullisTLS
import Testing

/// A config with TLS listener defaulting to `default.test` and the given sites.
func makeConfig(stateDir: String, sites: [SiteConfig], defaultCertificate: String? = "default.test") -> ProxyConfig {
    ProxyConfig(
        sourcePath: "proxy.conf", server: ServerSettings(stateDir: stateDir), tls: TLSSettings(),
        listeners: [
            ListenerConfig(bind: SocketAddressSpec(host: "127.0.0.1", port: 0), tls: true,
                defaultCertificate: defaultCertificate, line: 3),
            ListenerConfig(bind: SocketAddressSpec(host: "127.0.0.1", port: 0), tls: false, line: 7),
        ],
        sites: sites)
}

@Suite struct SnapshotBuilderTests {
    static let sites = [
        SiteConfig(hosts: ["a.test", "www.a.test"], respond: "a", line: 10),
        SiteConfig(hosts: ["*.wild.test"], certificate: "acme", respond: "w", line: 14),
        SiteConfig(hosts: ["default.test"], respond: "d", line: 18),
    ]

    @Test func buildsFromConfigAndSavesGeneratedCertificates() throws {
        let directory = try TemporaryDirectory()
        let store = CertificateStore(layout: StoreLayout(stateDir: directory.path))
        let registry = CertificateRegistry()
        let config = makeConfig(stateDir: directory.path, sites: Self.sites)
        let snapshot = try SnapshotBuilder.build(config: config, store: store, registry: registry, generation: 4)
        #expect(snapshot.generation == 4)
        #expect(snapshot.lookup(serverName: "www.a.test")?.certificateID == registry.id(for: "a.test"))
        #expect(snapshot.lookup(serverName: "x.wild.test")?.certificateID == registry.id(for: "_wildcard.wild.test"))
        #expect(snapshot.lookup(serverName: "x.y.wild.test") == nil)
        #expect(snapshot.context(certificateID: registry.id(for: "default.test")) != nil)
        #expect(snapshot.first?.certificateID == registry.id(for: "a.test"))
        let placeholder = try #require(try store.load(name: "_wildcard.wild.test"))
        #expect(placeholder.metadata.source == .acme && placeholder.metadata.isPending)
        #expect(try CertificateSummary(chainPEM: placeholder.chainPEM).dnsNames == ["*.wild.test"])
        #expect(try store.load(name: "a.test")?.metadata.domains == ["a.test", "www.a.test"])

        let again = try SnapshotBuilder.build(config: config, store: store, registry: registry, generation: 5)
        #expect(again.lookup(serverName: "a.test") !== snapshot.lookup(serverName: "a.test"))
        #expect(try store.load(name: "a.test") == store.ensureSelfSigned(name: "a.test", domains: ["a.test", "www.a.test"]))
    }

    @Test func reportsMissingImportedCertificateAndWritesNothing() throws {
        let directory = try TemporaryDirectory()
        let store = CertificateStore(layout: StoreLayout(stateDir: directory.path))
        let sites = Self.sites + [SiteConfig(hosts: ["shop.test"], certificate: "shop", line: 22)]
        let config = makeConfig(stateDir: directory.path, sites: sites)
        let error = #expect(throws: SnapshotBuildError.self) {
            try SnapshotBuilder.build(config: config, store: store, registry: CertificateRegistry(), generation: 1)
        }
        #expect(error?.description == "site at proxy.conf:22: certificate \"shop\" is not in the store (\(directory.path)/certs/shop)")
        #expect(!FileManager.default.fileExists(atPath: store.layout.certificatesDirectory))
    }

    @Test func reportsMissingListenerDefault() throws {
        let directory = try TemporaryDirectory()
        let store = CertificateStore(layout: StoreLayout(stateDir: directory.path))
        let config = makeConfig(stateDir: directory.path, sites: Self.sites, defaultCertificate: "fallback")
        let error = #expect(throws: SnapshotBuildError.self) {
            try SnapshotBuilder.build(config: config, store: store, registry: CertificateRegistry(), generation: 1)
        }
        #expect(error?.description.hasPrefix("listener at proxy.conf:3: certificate \"fallback\" is not in the store") == true)
    }

    @Test func reportsUnusableImportedCertificate() throws {
        let directory = try TemporaryDirectory()
        let store = CertificateStore(layout: StoreLayout(stateDir: directory.path))
        let (chain, _) = try SelfSignedGenerator.generate(domains: ["shop.test"])
        let (_, otherKey) = try SelfSignedGenerator.generate(domains: ["shop.test"])
        try store.save(StoredCertificate(
            name: "shop", chainPEM: chain, keyPEM: otherKey,
            metadata: CertificateMetadata(source: .user, domains: ["shop.test"], created: "2026-01-01T00:00:00Z")))
        let config = makeConfig(
            stateDir: directory.path, sites: [SiteConfig(hosts: ["shop.test"], certificate: "shop", line: 9)],
            defaultCertificate: nil)
        let error = #expect(throws: SnapshotBuildError.self) {
            try SnapshotBuilder.build(config: config, store: store, registry: CertificateRegistry(), generation: 1)
        }
        #expect(error?.description.hasPrefix(
            "site at proxy.conf:9: certificate \"shop\" cannot be used: the private key does not match") == true)
    }
}
