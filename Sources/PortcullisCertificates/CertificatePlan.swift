import Foundation
import PortcullisConfig

/// The certificates one configuration needs, resolved in memory first (loaded, or generated but not yet
/// saved) so that a failing build writes nothing.
struct CertificatePlan {
    /// One certificate and who asked for it first.
    struct Entry {
        var certificate: StoredCertificate
        var needsSave: Bool
        var line: Int
        var section: SnapshotBuildError.Section
        /// For generated certificates: the kind and the hosts they were generated for.
        var generated: (kind: GeneratedCertificateKind, domains: [String])?
    }

    let store: CertificateStore
    let file: String
    /// Imported certificates already in memory (from the snapshot in service), used instead of the
    /// store for every name not in `reread`.
    let known: [String: StoredCertificate]
    let reread: Set<String>
    /// Shares the text of identical certificates read from the store and notes their digests.
    let interner: SiteContextCache?
    private(set) var entries: [String: Entry] = [:]
    /// Names in first-use order, so saves happen in config order.
    private(set) var order: [String] = []

    /// An empty plan reading from `store` (or `known`, for names not in `reread`); errors name `file`.
    init(
        store: CertificateStore, file: String, known: [String: StoredCertificate] = [:], reread: Set<String> = [],
        interner: SiteContextCache? = nil
    ) {
        self.store = store
        self.file = file
        self.known = known
        self.reread = reread
        self.interner = interner
    }

    /// Resolves a site's certificate: generated (`self-signed`, `acme` placeholder) or imported.
    mutating func resolve(site: SiteConfig) throws {
        let name = site.certificateName
        let kind: GeneratedCertificateKind?
        switch site.certificate {
        case "self-signed": kind = .selfSigned
        case "acme": kind = .acmePlaceholder
        default: kind = nil
        }
        if let existing = self.entries[name] {
            // Sharing a name is fine unless two sites would generate different certificates under it.
            guard let kind, let generated = existing.generated,
                generated.kind != kind || generated.domains != site.hosts
            else { return }
            throw self.error(.site, site.line, name, .nameConflict(otherLine: existing.line))
        }
        guard let kind else { return try self.resolveImported(name, section: .site, line: site.line) }
        do {
            let (certificate, needsSave) = try self.store.prepareGenerated(name: name, domains: site.hosts, kind: kind)
            self.add(name, Entry(certificate: certificate, needsSave: needsSave, line: site.line, section: .site,
                generated: (kind, site.hosts)))
        } catch let error as CertificateStoreError {
            throw self.error(.site, site.line, name, .store(error))
        }
    }

    /// Resolves every certificate a site serves and returns their store names, primary first: the
    /// `certificate` name(s), or one generated certificate per `key_types` entry. A generated ECDSA
    /// P-256 certificate keeps the site's certificate name; other key types add `.<type>` to it.
    mutating func resolveAll(site: SiteConfig) throws -> [String] {
        let generated = site.certificate == "self-signed"
        guard generated, !site.keyTypes.isEmpty, site.keyTypes != ["ec256"] else {
            try self.resolve(site: site)
            for name in site.additionalCertificates {
                try self.resolveImported(name, section: .site, line: site.line)
            }
            return [site.certificateName] + site.additionalCertificates
        }
        var names: [String] = []
        for type in site.keyTypes {
            guard let keyType = KeyType(rawValue: type) else { continue }
            if keyType == .ec256 {
                try self.resolve(site: site)
                names.append(site.certificateName)
            } else {
                let name = site.certificateName + "." + type
                try self.resolveGenerated(name, keyType: keyType, domains: site.hosts, line: site.line)
                names.append(name)
            }
        }
        return names
    }

    /// A self-signed certificate of `keyType` for `domains`: the stored one while it matches and has 30
    /// days left, else a new one (saved with the rest of the plan).
    private mutating func resolveGenerated(_ name: String, keyType: KeyType, domains: [String], line: Int) throws {
        guard self.entries[name] == nil else { return }
        do {
            if let existing = try self.store.load(name: name), existing.metadata.source == .selfSigned,
                existing.metadata.domains == domains,
                let summary = try? CertificateSummary(chainPEM: existing.chainPEM), summary.keyType == keyType,
                summary.notAfter > Date().addingTimeInterval(30 * 86_400)
            {
                self.add(name, Entry(certificate: existing, needsSave: false, line: line, section: .site, generated: nil))
                return
            }
            let (chain, key) = try SelfSignedGenerator.generate(domains: domains, keyType: keyType)
            let metadata = CertificateMetadata(
                source: .selfSigned, domains: domains, created: Date().formatted(.iso8601))
            let certificate = StoredCertificate(name: name, chainPEM: chain, keyPEM: key, metadata: metadata)
            self.add(name, Entry(certificate: certificate, needsSave: true, line: line, section: .site,
                generated: (.selfSigned, domains)))
        } catch let error as CertificateStoreError {
            throw self.error(.site, line, name, .store(error))
        }
    }

    /// Resolves a certificate that must already be in the store (an imported one, a listener default).
    mutating func resolveImported(_ name: String, section: SnapshotBuildError.Section, line: Int) throws {
        guard self.entries[name] == nil else { return }
        if !self.reread.contains(name), let known = self.known[name] {
            return self.add(name, Entry(certificate: known, needsSave: false, line: line, section: section, generated: nil))
        }
        let stored: StoredCertificate?
        do {
            stored = try self.store.load(name: name)
        } catch let error as CertificateStoreError {
            throw self.error(section, line, name, .store(error))
        }
        guard let loaded = stored else {
            throw self.error(section, line, name, .notInStore(directory: self.store.layout.certificateDirectory(name: name)))
        }
        let certificate = self.interner?.intern(loaded) ?? loaded
        self.add(name, Entry(certificate: certificate, needsSave: false, line: line, section: section, generated: nil))
    }

    /// The newly generated certificates, in config order.
    var unsaved: [StoredCertificate] {
        self.order.compactMap { name in self.entries[name].flatMap { $0.needsSave ? $0.certificate : nil } }
    }

    /// Saves every newly generated certificate, in config order.
    func saveGenerated() throws {
        for name in self.order {
            guard let entry = self.entries[name], entry.needsSave else { continue }
            do {
                try self.store.save(entry.certificate)
            } catch let error as CertificateStoreError {
                throw self.error(entry.section, entry.line, name, .store(error))
            }
        }
    }

    /// A located error for this config file.
    func error(
        _ section: SnapshotBuildError.Section, _ line: Int, _ name: String, _ problem: SnapshotBuildError.Problem
    ) -> SnapshotBuildError {
        SnapshotBuildError(file: self.file, line: line, section: section, certificateName: name, problem: problem)
    }

    /// Records `name` the first time it is resolved.
    private mutating func add(_ name: String, _ entry: Entry) {
        self.entries[name] = entry
        self.order.append(name)
    }
}
