import Foundation
import PortcullisCertificates
import PortcullisConfig
import Testing

@testable import PortcullisTLS

/// Incremental certificate reloads: a rebuild with a `SiteContextCache` keeps the `SiteTLSContext` of
/// every site whose inputs are unchanged and builds new ones only for changed sites.
@Suite struct SiteContextCacheTests {
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
        hosts = ["a.test"]
        certificate = "a"
        respond = "a"
        [[site]]
        hosts = ["b.test"]
        certificate = "b"
        respond = "b"
        [[site]]
        hosts = ["c.test"]
        certificate = "c"
        respond = "c"
        policy = "mozilla-intermediate@5.7"

        """

    /// Saves a new self-signed certificate for `host` as `name` (optionally with a key that does not match).
    static func save(_ name: String, host: String, in store: CertificateStore, mismatchedKey: Bool = false) throws {
        var (chain, key) = try SelfSignedGenerator.generate(domains: [host])
        if mismatchedKey { key = try SelfSignedGenerator.generate(domains: [host]).1 }
        try store.save(StoredCertificate(
            name: name, chainPEM: chain, keyPEM: key,
            metadata: CertificateMetadata(source: .user, domains: [host], created: "2026-11-22T00:00:00Z")))
    }

    /// The store and config of `text` (sites `a`, `b`, `c`) in `directory`.
    static func setUp(_ directory: TemporaryDirectory, text: String = Self.text) throws -> (CertificateStore, ProxyConfig) {
        let store = CertificateStore(layout: StoreLayout(stateDir: directory.path))
        for name in ["a", "b", "c"] { try Self.save(name, host: name + ".test", in: store) }
        var config = try ConfigLoader.parse(
            text: text, path: directory.path + "/proxy.conf", options: .init(knownPolicies: Set(PolicyCatalogue.names)))
        config.server.stateDir = directory.path
        return (store, config)
    }

    @Test func secondBuildReusesContextsOfUnchangedSites() throws {
        let directory = try TemporaryDirectory()
        let (store, config) = try Self.setUp(directory)
        let registry = CertificateRegistry()
        let cache = SiteContextCache()
        let first = try SnapshotBuilder.build(config: config, store: store, registry: registry, generation: 1, cache: cache)
        cache.commit(generation: 1)
        #expect(cache.count == 5, "a and b with their listener-1 variants, c (own policy, no variant)")
        try Self.save("b", host: "b.test", in: store)
        let second = try SnapshotBuilder.build(config: config, store: store, registry: registry, generation: 2, cache: cache)
        cache.commit(generation: 2)
        let (a1, b1, c1) = try Self.sites(first)
        let (a2, b2, c2) = try Self.sites(second)
        #expect(a2 === a1 && c2 === c1, "unchanged sites keep their context")
        #expect(a2.variant(forListener: 1) === a1.variant(forListener: 1))
        #expect(b2 !== b1, "the changed certificate gets a new context")
        #expect(b2.variant(forListener: 1) !== b1.variant(forListener: 1), "and so do its listener variants")
        #expect(CertificateFallback.serves(b2, sameAs: try store.load(name: "b")))
        #expect(cache.lastBuilt == 2, "b and its listener-1 variant")
    }

    @Test func failedOrUncommittedBuildsLeaveTheCacheAndRemovedSitesAreFreed() throws {
        let directory = try TemporaryDirectory()
        let (store, config) = try Self.setUp(directory)
        let registry = CertificateRegistry()
        let cache = SiteContextCache()
        let first = try SnapshotBuilder.build(config: config, store: store, registry: registry, generation: 1, cache: cache)
        cache.commit(generation: 1)
        try Self.save("a", host: "a.test", in: store, mismatchedKey: true)
        #expect(throws: SnapshotBuildError.self) {
            try SnapshotBuilder.build(config: config, store: store, registry: registry, generation: 2, cache: cache)
        }
        cache.commit(generation: 2)  // never swapped in: ignored
        #expect(cache.count == 5)
        try Self.save("a", host: "a.test", in: store)
        var smaller = config
        smaller.sites.removeLast()
        _ = try SnapshotBuilder.build(config: smaller, store: store, registry: registry, generation: 3, cache: cache)
        cache.commit(generation: 3)
        #expect(cache.count == 4, "a (new) and b with their variants; c is gone")
        let again = try SnapshotBuilder.build(config: config, store: store, registry: registry, generation: 4, cache: cache)
        #expect(again.lookup(serverName: "b.test") === first.lookup(serverName: "b.test"))
        #expect(again.lookup(serverName: "c.test") !== first.lookup(serverName: "c.test"))
    }

    @Test func reloadToldWhatChangedReadsOnlyThoseCertificates() throws {
        let directory = try TemporaryDirectory()
        let (store, config) = try Self.setUp(directory)
        let registry = CertificateRegistry()
        let cache = SiteContextCache()
        let first = try SnapshotBuilder.build(config: config, store: store, registry: registry, generation: 1, cache: cache)
        cache.commit(generation: 1)
        try Self.save("a", host: "a.test", in: store)
        try Self.save("b", host: "b.test", in: store)
        let second = try SnapshotBuilder.build(
            config: config, store: store, registry: registry, generation: 2, cache: cache, changed: ["b"])
        cache.commit(generation: 2)
        #expect(second.lookup(serverName: "a.test") === first.lookup(serverName: "a.test"), "a was not re-read")
        #expect(CertificateFallback.serves(second.lookup(serverName: "b.test"), sameAs: try store.load(name: "b")))
        let full = try SnapshotBuilder.build(config: config, store: store, registry: registry, generation: 3, cache: cache)
        #expect(CertificateFallback.serves(full.lookup(serverName: "a.test"), sameAs: try store.load(name: "a")))
        #expect(full.lookup(serverName: "b.test") === second.lookup(serverName: "b.test"))
    }

    @Test func storeChangePatchesOnlyTheSlotsServingTheChangedName() throws {
        let directory = try TemporaryDirectory()
        let (store, config) = try Self.setUp(directory)
        let registry = CertificateRegistry()
        let cache = SiteContextCache()
        let first = try SnapshotBuilder.build(config: config, store: store, registry: registry, generation: 1, cache: cache)
        cache.commit(generation: 1)
        try Self.save("b", host: "b.test", in: store)
        let patched = try #require(
            try SnapshotBuilder.patch(
                previous: first, config: config, store: store, registry: registry, generation: 2, cache: cache,
                changed: ["b"]))
        cache.commit(generation: 2)
        let (a1, b1, c1) = try Self.sites(first)
        let (a2, b2, c2) = try Self.sites(patched)
        #expect(patched.generation == 2)
        #expect(a2 === a1 && c2 === c1, "slots not serving b are untouched")
        let bNow = try store.load(name: "b")
        #expect(b2 !== b1)
        #expect(CertificateFallback.serves(b2, sameAs: bNow), "b's slot serves the new files")
        #expect(b2.variant(forListener: 1) !== b1.variant(forListener: 1), "b's listener variant is rebuilt too")
        #expect(cache.lastBuilt == 2, "b and its listener-1 variant, nothing else")
        #expect(cache.count == 5, "the replaced contexts left the cache")
        #expect(!CertificateFallback.serves(b1, sameAs: bNow), "the old context keeps serving the old files")
        // A later full build agrees with the patched state and reuses it.
        let full = try SnapshotBuilder.build(config: config, store: store, registry: registry, generation: 3, cache: cache)
        #expect(full.lookup(serverName: "b.test") === b2)
    }

    @Test func sitesWithIdenticalFilesShareOneParsedCertificateAndPolicyContext() throws {
        let directory = try TemporaryDirectory()
        let (store, config) = try Self.setUp(directory)
        let b = try #require(try store.load(name: "b"))
        try store.save(StoredCertificate(name: "a", chainPEM: b.chainPEM, keyPEM: b.keyPEM, metadata: b.metadata))
        let snapshot = try SnapshotBuilder.build(
            config: config, store: store, registry: CertificateRegistry(), generation: 1, cache: SiteContextCache())
        let (a, bSite, c) = try Self.sites(snapshot)
        #expect(a.certifiedKeys[0] === bSite.certifiedKeys[0], "same files, one parse")
        #expect(a.policyContext === bSite.policyContext, "same policy, one SSL_CTX")
        #expect(c.policyContext !== a.policyContext, "c has a policy of its own")
    }

    /// The contexts of sites a, b and c.
    static func sites(_ snapshot: CertSnapshot) throws -> (SiteTLSContext, SiteTLSContext, SiteTLSContext) {
        (
            try #require(snapshot.lookup(serverName: "a.test")), try #require(snapshot.lookup(serverName: "b.test")),
            try #require(snapshot.lookup(serverName: "c.test"))
        )
    }
}
