import PortcullisConfig
import PortcullisTLS

/// Turns a configuration into a `CertSnapshot`: every site's certificates (generated, placeholder or
/// imported; one or two per site, by key type), one `SiteTLSContext` per site with its own session-ID
/// context and security policy, plus a context for each TLS listener's default certificate that no
/// site serves. A site without a policy of its own gets the `[tls] default_policy` context plus one
/// variant per listener whose policy differs. Writes to the store only after everything was built,
/// so a failure leaves the store as it was. With a `SiteContextCache`, a site whose inputs are unchanged
/// keeps the context in service and only changed sites build new ones.
public enum SnapshotBuilder {
    /// Builds generation `generation` of the snapshot for `config`, reusing the contexts of `cache`
    /// whose inputs are unchanged (call `cache.commit(generation:)` once the snapshot is in service).
    /// With `changed` (and a cache), only those imported certificates are read from the store; the
    /// others are the ones in service (nil: all are read).
    public static func build(
        config: ProxyConfig, store: CertificateStore, registry: CertificateRegistry, generation: Int,
        cache: SiteContextCache? = nil, changed: Set<String>? = nil
    ) throws -> CertSnapshot {
        let prepared = try self.prepare(
            config: config, store: store, registry: registry, generation: generation, cache: cache, changed: changed)
        try prepared.saveGenerated()
        return prepared.snapshot
    }

    /// `build` without writing anything: the snapshot plus the generated certificates it serves that
    /// are not in the store yet. The control plane saves them (`Prepared.saveGenerated`) only when it
    /// commits this snapshot; `validate` never does.
    public static func prepare(
        config: ProxyConfig, store: CertificateStore, registry: CertificateRegistry, generation: Int,
        cache: SiteContextCache? = nil, changed: Set<String>? = nil
    ) throws -> Prepared {
        cache?.begin()
        var policies = PolicyTable(config: config)
        let listenerPolicies = try Self.listenerPolicies(config, &policies)
        var plan = CertificatePlan(
            store: store, file: config.sourcePath, known: changed == nil ? [:] : cache?.certificates ?? [:],
            reread: changed ?? [], interner: cache)
        var siteNames: [[String]] = []
        for site in config.sites { siteNames.append(try plan.resolveAll(site: site)) }
        for listener in config.listeners where listener.tls {
            if let name = listener.defaultCertificate {
                try plan.resolveImported(name, section: .listener, line: listener.line)
            }
        }
        var sites: [(hosts: [String], context: SiteTLSContext)] = []
        var slots: [SiteContextCache.Slot] = []
        for (index, (site, names)) in zip(config.sites, siteNames).enumerated() {
            let (context, keys) = try Self.siteContext(
                config: config, site: index, names: names, plan: plan, registry: registry, policies: &policies,
                listenerPolicies: listenerPolicies, cache: cache)
            sites.append((site.hosts, context))
            slots.append(.init(
                names: names, site: index, section: .site, line: site.line,
                generated: site.certificate == "self-signed" || site.certificate == "acme", keys: keys))
        }
        let served = Set(config.sites.map(\.certificateName))
        for listener in config.listeners where listener.tls {
            guard let name = listener.defaultCertificate, !served.contains(name) else { continue }
            let (context, keys) = try Self.listenerDefaultContext(
                name: name, plan: plan, registry: registry, policies: &policies, listenerPolicies: listenerPolicies,
                cache: cache)
            sites.append(([], context))
            slots.append(.init(names: [name], site: nil, section: .listener, line: listener.line, generated: false, keys: keys))
        }
        cache?.finish(generation: generation, certificates: plan.entries.mapValues(\.certificate), slots: slots)
        return Prepared(snapshot: CertSnapshot(generation: generation, sites: sites), plan: plan)
    }

    /// The context of `config.sites[site]` serving `names`.
    static func siteContext(
        config: ProxyConfig, site index: Int, names: [String], plan: CertificatePlan, registry: CertificateRegistry,
        policies: inout PolicyTable, listenerPolicies: [Int: ResolvedPolicy], cache: SiteContextCache?
    ) throws -> (context: SiteTLSContext, keys: [SiteContextCache.Key]) {
        let site = config.sites[index]
        let own = try policies.sitePolicy(site)
        return try Self.makeContext(
            plan: plan, names: names, id: registry.id(for: site.certificateName),
            sessionIDContext: "site " + site.hosts.joined(separator: ","),
            policy: own ?? policies.defaultPolicy(), listenerPolicies: own == nil ? listenerPolicies : [:],
            cache: cache)
    }

    /// The context of a listener's default certificate `name` that no site serves.
    static func listenerDefaultContext(
        name: String, plan: CertificatePlan, registry: CertificateRegistry, policies: inout PolicyTable,
        listenerPolicies: [Int: ResolvedPolicy], cache: SiteContextCache?
    ) throws -> (context: SiteTLSContext, keys: [SiteContextCache.Key]) {
        try Self.makeContext(
            plan: plan, names: [name], id: registry.id(for: name), sessionIDContext: "listener default " + name,
            policy: policies.defaultPolicy(), listenerPolicies: listenerPolicies, cache: cache)
    }

    /// A built snapshot whose generated certificates may still have to be written.
    public struct Prepared {
        /// The snapshot, ready to publish.
        public let snapshot: CertSnapshot
        let plan: CertificatePlan

        /// The generated certificates (self-signed, ACME placeholders) not in the store yet.
        public var unsaved: [StoredCertificate] { self.plan.unsaved }

        /// Writes the generated certificates, in config order; throws a located error.
        public func saveGenerated() throws { try self.plan.saveGenerated() }
    }

    /// The settings for the front context of the listener at `index` in `config.listeners`.
    public static func listenerSettings(config: ProxyConfig, index: Int) throws -> TLSPolicySettings {
        var policies = PolicyTable(config: config)
        return TLSPolicySettings(try policies.listenerPolicy(index).policy)
    }

    /// Listener index → policy, for TLS listeners whose policy is not the default one.
    static func listenerPolicies(_ config: ProxyConfig, _ policies: inout PolicyTable) throws -> [Int:
        ResolvedPolicy]
    {
        let defaultPolicy = try policies.defaultPolicy()
        var result: [Int: ResolvedPolicy] = [:]
        for (index, listener) in config.listeners.enumerated() where listener.tls && listener.policy != nil {
            let resolved = try policies.listenerPolicy(index)
            if resolved != defaultPolicy { result[index] = resolved }
        }
        return result
    }
}
