import Foundation
import PortcullisCertificates
import PortcullisConfig
import Testing

@testable import PortcullisTLS

/// Policy resolution per listener and site when the snapshot is built, dual certificates from config,
/// and the `[[policy]]` / `certificate = [...]` / `key_types` syntax.
@Suite struct PolicySnapshotTests {
    static let text = """
        [server]
        state_dir = "state"
        [[listener]]
        bind = "127.0.0.1:0"
        tls = true
        [[listener]]
        bind = "127.0.0.1:0"
        tls = true
        policy = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
        [[site]]
        hosts = ["shop.test"]
        certificate = ["shop-ec", "shop-rsa"]
        respond = "shop"
        [[site]]
        hosts = ["gen.test"]
        key_types = ["ec256", "rsa2048"]
        respond = "gen"
        policy = "corp"
        [[policy]]
        name = "corp"
        base = "mozilla-intermediate@5.7"
        max_version = "1.2"
        server_preference = true
        hsts = "max-age=5"

        """

    @Test func parsesPolicyTablesAndCertificateLists() throws {
        let config = try ConfigLoader.parse(
            text: Self.text, path: "/tmp/proxy.conf", options: .init(knownPolicies: Set(PolicyCatalogue.names)))
        #expect(config.sites[0].certificate == "shop-ec" && config.sites[0].additionalCertificates == ["shop-rsa"])
        #expect(config.sites[0].certificateName == "shop-ec")
        #expect(config.sites[1].keyTypes == ["ec256", "rsa2048"])
        let policy = try #require(config.policies.first)
        #expect(policy.name == "corp" && policy.maxVersion == "1.2" && policy.serverPreference == true)
        #expect(policy.line(of: "hsts") == 24)
    }

    @Test func snapshotAppliesSiteAndListenerPolicies() throws {
        let directory = try TemporaryDirectory()
        let store = CertificateStore(layout: StoreLayout(stateDir: directory.path))
        for (name, type) in [("shop-ec", KeyType.ec256), ("shop-rsa", .rsa2048)] {
            let (chain, key) = try SelfSignedGenerator.generate(domains: ["shop.test"], keyType: type)
            try store.save(
                StoredCertificate(
                    name: name, chainPEM: chain, keyPEM: key,
                    metadata: CertificateMetadata(
                        source: .user, domains: ["shop.test"], created: "2026-11-22T00:00:00Z")))
        }
        var config = try ConfigLoader.parse(text: Self.text, path: directory.path + "/proxy.conf")
        config.server.stateDir = directory.path
        let registry = CertificateRegistry()
        let snapshot = try SnapshotBuilder.build(config: config, store: store, registry: registry, generation: 1)
        let shop = try #require(snapshot.lookup(serverName: "shop.test"))
        #expect(shop.keyAlgorithms == [.ecdsa, .rsa])
        #expect(shop.certificateID == registry.id(for: "shop-ec"))
        // No policy of its own: the default context on listener 0, the listener's policy on listener 1.
        #expect(shop.variant(forListener: 0) === shop)
        #expect(shop.variant(forListener: 1) !== shop)
        #expect(shop.variant(forListener: 1).policy.maxVersion == TLSProtocolVersion.tls1_3.rawValue)
        let gen = try #require(snapshot.lookup(serverName: "gen.test"))
        #expect(gen.keyAlgorithms == [.ecdsa, .rsa])
        #expect(gen.variant(forListener: 1) === gen, "a site's own policy wins on every listener")
        #expect(gen.policy.maxVersion == TLSProtocolVersion.tls1_2.rawValue)
        #expect(try store.load(name: "gen.test.rsa2048") != nil, "the generated RSA certificate is stored")
        var table = PolicyTable(config: config)
        #expect(try table.hsts(for: config.sites[1]) == "max-age=5")
        #expect(try table.hsts(for: config.sites[0]) == nil, "listener and default policies set no HSTS")
    }
}
