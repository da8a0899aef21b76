import Foundation
import PortcullisCertificates
import PortcullisConfig
import PortcullisTLS

/// Read access for the admin API and metrics (control thread).
extension ControlPlane {
    /// The status table, as `certs list --json` prints it, plus the problems of certificates that
    /// cannot be read. A quarantined certificate is shown from the version in service, with status
    /// `quarantined`.
    public func statusRows(now: Date = Date()) -> (rows: [CertificateStatusRow], errors: [String]) {
        var (rows, errors) = CertificateStatusTable.rows(store: self.store, config: self.config, now: now)
        for (name, reason) in self.quarantined.sorted(by: { $0.key < $1.key }) {
            errors.removeAll { $0.hasPrefix("certificate \"\(name)\":") }
            guard let served = self.contextCache.servedCertificate(name: name),
                var row = try? CertificateStatusTable.row(served, config: self.config, now: now)
            else {
                errors.append("certificate \"\(name)\": \(reason)")
                continue
            }
            row.status = CertificateStatus.quarantined.rawValue
            rows.removeAll { $0.name == name }
            rows.append(row)
        }
        rows.sort { $0.name < $1.name }
        return (rows, errors)
    }

    /// One certificate as stored (public chain and metadata; the key is there too: never return it).
    public func storedCertificate(name: String) -> StoredCertificate? {
        try? self.store.loadFromDisk(name: name)
    }

    /// Whether `name` has a previous version (a rollback target).
    public func hasPrevious(name: String) -> Bool { self.store.hasPrevious(name: name) }

    /// The `site:`/`listener:` entries that deploy `name` in the configuration in service.
    public func deployments(of name: String) -> [String] {
        CertificateStatusTable.deployments(of: name, config: self.config)
    }

    /// Whether the state in service serves exactly the stored version of `name`.
    public func servesStoredVersion(name: String) -> Bool {
        guard let stored = try? self.store.loadFromDisk(name: name),
            let served = self.contextCache.servedCertificate(name: name)
        else { return false }
        return served.chainPEM == stored.chainPEM && served.keyPEM == stored.keyPEM
    }

    /// Active health of upstream `upstream` of site `site`: `up`, `down` or `unchecked`.
    public func upstreamState(site: Int, upstream: Int) -> String {
        self.health?.state(site: site, upstream: upstream).state ?? "unchecked"
    }

    /// Every site of the configuration in service.
    public func sites() -> [SiteSummary] {
        let tlsListeners = self.config.listeners.filter(\.tls).map(\.bind.description)
        return self.config.sites.map { site in
            var names = [site.certificateName] + site.additionalCertificates
            if site.certificate == "self-signed", !site.keyTypes.isEmpty, site.keyTypes != ["ec256"] {
                names = site.keyTypes.map { $0 == "ec256" ? site.certificateName : site.certificateName + "." + $0 }
            }
            return SiteSummary(
                hosts: site.hosts, certificates: names, policy: site.policy, upstreams: site.upstreams.map(\.description),
                listeners: tlsListeners, line: site.line)
        }
    }

    /// Every policy name the configuration in service may use: the catalogue plus its `[[policy]]`s.
    public func policyNames() -> [String] { PolicyTable(config: self.config).knownNames }

    /// The policy called `name` as `policies show` describes it: its values, and whether this
    /// OpenSSL honours it (`honoured in full…`, `degraded…`, `refused: …`); nil for an unknown name.
    public func policy(named name: String) -> (policy: SecurityPolicy, status: String)? {
        let table = PolicyTable(config: self.config)
        do {
            let resolved = try table.resolver.resolve(name)
            let status =
                resolved.degradations.isEmpty
                ? "honoured in full by \(OpenSSLCapabilities.versionText)"
                : "degraded on \(OpenSSLCapabilities.versionText): " + resolved.degradations.joined(separator: "; ")
            return (resolved.policy, status)
        } catch {
            guard let preset = PolicyCatalogue.preset(named: name) else { return nil }
            return (preset, "refused: \(error)")
        }
    }

    /// The sites and listener defaults in service, for tests and metrics: certificate name → the
    /// chain PEM served.
    public func servedChain(name: String) -> String? { self.contextCache.servedCertificate(name: name)?.chainPEM }
}
