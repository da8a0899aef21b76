import PortcullisConfig
import PortcullisTLS

extension SnapshotBuilder {
    /// Generation `generation` of `previous` (the snapshot in service, built by a full build of `config`
    /// with `cache`) after the store certificates `changed` were replaced: only the slots serving a
    /// changed name are rebuilt, and only those names are read. Nil when a full build is needed (no
    /// slot map yet, or a changed name is a generated certificate). Call `cache.commit(generation:)`
    /// once the result is in service; a throw leaves the cache as it was.
    public static func patch(
        previous: CertSnapshot, config: ProxyConfig, store: CertificateStore, registry: CertificateRegistry,
        generation: Int, cache: SiteContextCache, changed: Set<String>
    ) throws -> CertSnapshot? {
        guard cache.canPatch(changed), cache.slots.count == previous.slotCount else { return nil }
        let indices = cache.slotIndices(serving: changed)
        cache.beginPatch()
        var policies = PolicyTable(config: config)
        let listenerPolicies = try Self.listenerPolicies(config, &policies)
        var plan = CertificatePlan(
            store: store, file: config.sourcePath, known: cache.certificates, reread: changed, interner: cache)
        var replacements: [Int: SiteTLSContext] = [:]
        var slots: [Int: SiteContextCache.Slot] = [:]
        for index in indices {
            let slot = cache.slot(index)
            for name in slot.names { try plan.resolveImported(name, section: slot.section, line: slot.line) }
            let built: (context: SiteTLSContext, keys: [SiteContextCache.Key])
            if let site = slot.site {
                built = try Self.siteContext(
                    config: config, site: site, names: slot.names, plan: plan, registry: registry, policies: &policies,
                    listenerPolicies: listenerPolicies, cache: cache)
            } else {
                built = try Self.listenerDefaultContext(
                    name: slot.names[0], plan: plan, registry: registry, policies: &policies,
                    listenerPolicies: listenerPolicies, cache: cache)
            }
            replacements[index] = built.context
            slots[index] = .init(
                names: slot.names, site: slot.site, section: slot.section, line: slot.line, generated: false,
                keys: built.keys)
        }
        cache.finishPatch(generation: generation, certificates: plan.entries.mapValues(\.certificate), slots: slots)
        return previous.patching(generation: generation, replacing: replacements)
    }
}
