import PortcullisConfig
import PortcullisTLS

/// Turns a configuration into a `CertSnapshot`: every site's certificates (generated, placeholder or
/// imported; one or two per site, by key type), one `SiteTLSContext` per site with its own session-ID
/// context and security policy, plus a context for each TLS listener's default certificate that no
/// site serves. A site without a policy of its own gets the `[tls] default_policy` context plus one
/// variant per listener whose policy differs. Writes to the store only after everything was built,
/// so a failure leaves the store as it was.
public enum SnapshotBuilder {
    /// Builds generation `generation` of the snapshot for `config`.
    public static func build(
        config: ProxyConfig, store: CertificateStore, registry: CertificateRegistry, generation: Int
    ) throws -> CertSnapshot {
        var policies = PolicyTable(config: config)
        let listenerPolicies = try Self.listenerPolicies(config, &policies)
        var plan = CertificatePlan(store: store, file: config.sourcePath)
        var siteNames: [[String]] = []
        for site in config.sites { siteNames.append(try plan.resolveAll(site: site)) }
        for listener in config.listeners where listener.tls {
            if let name = listener.defaultCertificate {
                try plan.resolveImported(name, section: .listener, line: listener.line)
            }
        }
        var sites: [(hosts: [String], context: SiteTLSContext)] = []
        for (site, names) in zip(config.sites, siteNames) {
            let own = try policies.sitePolicy(site)
            let context = try Self.makeContext(
                plan: plan, names: names, id: registry.id(for: site.certificateName),
                sessionIDContext: "site " + site.hosts.joined(separator: ","),
                policy: own ?? policies.defaultPolicy(), listenerPolicies: own == nil ? listenerPolicies : [:])
            sites.append((site.hosts, context))
        }
        let served = Set(config.sites.map(\.certificateName))
        for listener in config.listeners where listener.tls {
            guard let name = listener.defaultCertificate, !served.contains(name) else { continue }
            let context = try Self.makeContext(
                plan: plan, names: [name], id: registry.id(for: name), sessionIDContext: "listener default " + name,
                policy: policies.defaultPolicy(), listenerPolicies: listenerPolicies)
            sites.append(([], context))
        }
        try plan.saveGenerated()
        return CertSnapshot(generation: generation, sites: sites)
    }

    /// The settings for the front context of the listener at `index` in `config.listeners`.
    public static func listenerSettings(config: ProxyConfig, index: Int) throws -> TLSPolicySettings {
        var policies = PolicyTable(config: config)
        return TLSPolicySettings(try policies.listenerPolicy(index).policy)
    }

    /// Listener index → policy, for TLS listeners whose policy is not the default one.
    private static func listenerPolicies(_ config: ProxyConfig, _ policies: inout PolicyTable) throws -> [Int:
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

    /// The TLS context for planned certificates `names` under `policy`, with variants for listeners
    /// whose policy differs (identical policies share one variant).
    private static func makeContext(
        plan: CertificatePlan, names: [String], id: Int, sessionIDContext: String, policy: ResolvedPolicy,
        listenerPolicies: [Int: ResolvedPolicy]
    ) throws -> SiteTLSContext {
        let entries = names.map { name -> CertificatePlan.Entry in
            guard let entry = plan.entries[name] else { preconditionFailure("certificate \(name) was not planned") }
            return entry
        }
        let certificates = entries.map { (chainPEM: $0.certificate.chainPEM, keyPEM: $0.certificate.keyPEM) }
        do {
            var built: [String: SiteTLSContext] = [:]
            var variants: [Int: SiteTLSContext] = [:]
            for (index, listenerPolicy) in listenerPolicies.sorted(by: { $0.key < $1.key }) {
                if let shared = built[listenerPolicy.policy.name] {
                    variants[index] = shared
                    continue
                }
                let variant = try SiteTLSContext(
                    certificates: certificates, certificateID: id,
                    sessionIDContext: sessionIDContext + " policy " + listenerPolicy.policy.sessionFingerprint,
                    policy: TLSPolicySettings(listenerPolicy.policy))
                built[listenerPolicy.policy.name] = variant
                variants[index] = variant
            }
            // The policy is part of the session-ID context: OpenSSL resumes a TLS 1.2 session if the
            // client still offers its cipher, so a session must not carry a cipher into a stricter policy.
            return try SiteTLSContext(
                certificates: certificates, certificateID: id,
                sessionIDContext: sessionIDContext + " policy " + policy.policy.sessionFingerprint,
                policy: TLSPolicySettings(policy.policy), listenerVariants: variants)
        } catch {
            let entry = entries[0]
            throw plan.error(entry.section, entry.line, names.joined(separator: "+"), .unusable(error.description))
        }
    }
}
