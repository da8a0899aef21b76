import Foundation
import PortcullisAdmin
import PortcullisCertificates
import PortcullisConfig
import PortcullisCore

/// `AdminBackend` over the control plane: reads its views, and sends every change through
/// `ControlPlane.mutate` or `reload`, so API changes take the same commit path as SIGHUP, the store
/// watcher and ACME. Runs on the control thread (the admin server's base).
final class ControlPlaneAdminBackend: AdminBackend {
    unowned let plane: ControlPlane
    /// Metric label of each listener.
    let listenerLabels: [String]
    /// The certificate rows `/metrics` shows, rebuilt only when they can have changed.
    let metricsCertificates = MetricsCertificateCache()

    init(plane: ControlPlane, listenerLabels: [String]) {
        self.plane = plane
        self.listenerLabels = listenerLabels
    }

    func listCertificates() throws -> [CertificateInfo] {
        self.plane.statusRows().rows.map(self.info)
    }

    func certificate(named name: String) throws -> CertificateDetail {
        let info = try self.row(named: name)
        return CertificateDetail(info: info, chainPEM: try self.chainPEM(named: name))
    }

    func putCertificate(named name: String, upload: CertificateUpload) throws -> (created: Bool, certificate: CertificateInfo) {
        let mutation: StoreMutation
        switch upload {
        case .pem(let certificate, let key, let chain, let caBundle, let force):
            mutation = .importPEM(
                name: name, certificate: Array(certificate.utf8), key: Array(key.utf8), chain: chain.map { Array($0.utf8) },
                caBundle: caBundle.map { Array($0.utf8) }, force: force)
        case .pfx(let data, let password, let force):
            mutation = .importPFX(name: name, pfx: data, password: password, force: force)
        case .selfSigned(let domains, let keyType, let days):
            mutation = .selfSigned(name: name, domains: domains, keyType: keyType, days: days)
        }
        let outcome = try self.mutate(mutation)
        guard let row = outcome.row else { throw AdminError(.internalError, "certificate \"\(name)\" was saved but cannot be read back") }
        return (outcome.created, self.info(row))
    }

    func chainPEM(named name: String) throws -> String {
        try self.checkName(name)
        do {
            return try CertificateExporter.chainPEM(store: self.plane.store, name: name)
        } catch let error as CertificateStoreError {
            if case .notFound = error { throw AdminError(.notFound, "\(error)") }
            throw AdminError(.unprocessable, "\(error)")
        }
    }

    func rollbackCertificate(named name: String) throws -> CertificateInfo {
        try self.checkName(name)
        let outcome = try self.mutate(.rollback(name: name))
        guard let row = outcome.row else { throw AdminError(.internalError, "certificate \"\(name)\" cannot be read back") }
        return self.info(row)
    }

    func deleteCertificate(named name: String, force: Bool) throws {
        try self.checkName(name)
        _ = try self.mutate(.delete(name: name, force: force))
    }

    func renewCertificate(named name: String) throws {
        try self.checkName(name)
        _ = try self.mutate(.renew(name: name))
    }

    func sites() -> [SiteInfo] {
        let config = self.plane.config
        return zip(self.plane.sites(), config.sites).enumerated().map { index, pair in
            let (summary, site) = pair
            let source = site.certificate == "self-signed" || site.certificate == "acme" ? site.certificate : "store"
            var info = SiteInfo(
                hosts: summary.hosts, certificates: summary.certificates, certificateSource: source,
                policy: summary.policy ?? config.tls.defaultPolicy, upstreams: summary.upstreams, respond: site.respond,
                listeners: summary.listeners)
            for (upstream, address) in summary.upstreams.enumerated() {
                info.upstreamHealth[address] = self.plane.upstreamState(site: index, upstream: upstream)
            }
            return info
        }
    }

    func policies() -> [PolicyInfo] {
        self.plane.policyNames().compactMap { name in
            guard let (policy, status) = self.plane.policy(named: name) else { return nil }
            return PolicyInfo(
                name: name, source: policy.source, versions: policy.versions.map(\.description),
                serverPreference: policy.serverPreference, ciphers: policy.ciphers, ciphersuites: policy.ciphersuites,
                groups: policy.groups, sigalgs: policy.sigalgs, sessionTickets: policy.sessionTickets, hsts: policy.hsts,
                clientAuth: policy.clientAuth.rawValue, status: status)
        }
    }

    func reload() throws -> Int {
        switch self.plane.reload(trigger: .api) {
        case .committed(let generation): return generation
        case .failed(let diagnostics):
            throw AdminError(.unprocessable, diagnostics.joined(separator: "\n"), errors: diagnostics)
        }
    }

    func events(after: UInt64) -> [ControlEvent] { self.plane.events.events(after: after) }

    func metricsText() -> String {
        MetricsExposition.render(self.plane, listenerLabels: self.listenerLabels, certificates: self.metricsCertificates)
    }

    // MARK: Helpers

    /// The status row of `name`, or 404.
    private func row(named name: String) throws -> CertificateInfo {
        try self.checkName(name)
        guard let row = self.plane.statusRows().rows.first(where: { $0.name == name }) else {
            throw AdminError(.notFound, "certificate \"\(name)\" is not in the store")
        }
        return self.info(row)
    }

    /// A name the store could not hold is simply not there (404).
    private func checkName(_ name: String) throws {
        do { try CertificateImporter.checkName(name) } catch { throw AdminError(.notFound, "certificate \"\(name)\" is not in the store") }
    }

    /// `mutate`, with its refusals as admin errors (same sentences).
    private func mutate(_ mutation: StoreMutation) throws -> MutationOutcome {
        do {
            return try self.plane.mutate(mutation)
        } catch {
            switch error {
            case .invalid(let message): throw AdminError(.unprocessable, message)
            case .notFound(let message): throw AdminError(.notFound, message)
            case .conflict(let message): throw AdminError(.conflict, message)
            case .failed(let message): throw AdminError(.internalError, message)
            }
        }
    }

    /// The API's row: the CLI's fields plus serial, fingerprint and whether a previous version exists.
    private func info(_ row: CertificateStatusRow) -> CertificateInfo {
        let stored = self.plane.storedCertificate(name: row.name)
        let chain = stored?.chainPEM ?? self.plane.servedChain(name: row.name) ?? ""
        let serial = (try? CertificateSummary(chainPEM: chain))?.serialHex ?? ""
        return CertificateInfo(
            name: row.name, domains: row.domains, source: row.source, subjectCN: row.subjectCN, issuer: row.issuer,
            keyType: row.keyType, notBefore: row.notBefore, notAfter: row.notAfter, daysLeft: row.daysLeft,
            status: row.status, deployed: row.deployed, serial: serial,
            fingerprintSHA256: CertificateFingerprint.sha256(chainPEM: chain) ?? "", previous: self.plane.hasPrevious(name: row.name))
    }
}
