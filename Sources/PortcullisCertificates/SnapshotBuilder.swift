import PortcullisConfig
import PortcullisTLS

/// Turns a configuration into a `CertSnapshot`: every site's certificate (generated, placeholder or
/// imported), one `SiteTLSContext` per site with its own session-ID context, plus a context for each
/// TLS listener's default certificate that no site serves. Writes to the store only after everything
/// was built, so a failure leaves the store as it was.
public enum SnapshotBuilder {
    /// Builds generation `generation` of the snapshot for `config`.
    /// - Note: every context uses `TLSPolicySettings.intermediate` until policy presets land.
    public static func build(
        config: ProxyConfig, store: CertificateStore, registry: CertificateRegistry, generation: Int
    ) throws -> CertSnapshot {
        var plan = CertificatePlan(store: store, file: config.sourcePath)
        for site in config.sites { try plan.resolve(site: site) }
        for listener in config.listeners where listener.tls {
            if let name = listener.defaultCertificate { try plan.resolveImported(name, section: .listener, line: listener.line) }
        }
        var sites: [(hosts: [String], context: SiteTLSContext)] = []
        for site in config.sites {
            let context = try Self.makeContext(
                plan: plan, name: site.certificateName, registry: registry,
                sessionIDContext: "site " + site.hosts.joined(separator: ","))
            sites.append((site.hosts, context))
        }
        let served = Set(config.sites.map(\.certificateName))
        for listener in config.listeners where listener.tls {
            guard let name = listener.defaultCertificate, !served.contains(name) else { continue }
            let context = try Self.makeContext(
                plan: plan, name: name, registry: registry, sessionIDContext: "listener default " + name)
            sites.append(([], context))
        }
        try plan.saveGenerated()
        return CertSnapshot(generation: generation, sites: sites)
    }

    /// The TLS context for planned certificate `name`.
    private static func makeContext(
        plan: CertificatePlan, name: String, registry: CertificateRegistry, sessionIDContext: String
    ) throws -> SiteTLSContext {
        guard let entry = plan.entries[name] else { preconditionFailure("certificate \(name) was not planned") }
        do {
            return try SiteTLSContext(
                chainPEM: entry.certificate.chainPEM, keyPEM: entry.certificate.keyPEM,
                certificateID: registry.id(for: name), sessionIDContext: sessionIDContext,
                policy: .intermediate)
        } catch {
            throw plan.error(entry.section, entry.line, name, .unusable(error.description))
        }
    }
}
