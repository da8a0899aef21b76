import Foundation
import PortcullisCertificates
import PortcullisConfig

/// Store changes made by the admin API: each is validated, written under the store lock, recorded in
/// the event log and followed by a commit with trigger `api` (control thread).
extension ControlPlane {
    /// Performs `mutation`; a refused one leaves the store unchanged and throws the CLI's sentence.
    public func mutate(_ mutation: StoreMutation) throws(MutationError) -> MutationOutcome {
        let name = mutation.name
        switch mutation {
        case .importPEM(_, let certificate, let key, let chain, let caBundle, let force):
            let source = CertificateImportRequest.Source.pemData(certificate: certificate, chain: chain, caBundle: caBundle, key: key)
            return try self.importCertificate(CertificateImportRequest(name: name, source: source, force: force))
        case .importPFX(_, let pfx, let password, let force):
            let source = CertificateImportRequest.Source.pkcs12Data(bytes: pfx, password: password)
            return try self.importCertificate(CertificateImportRequest(name: name, source: source, force: force))
        case .selfSigned(_, let domains, let keyType, let days):
            return try self.selfSign(name: name, domains: domains, keyType: keyType, days: days)
        case .rollback:
            guard self.store.hasPrevious(name: name) else {
                throw .notFound("certificate \"\(name)\" has no previous version to roll back to")
            }
            try Self.write { try self.store.rollback(name: name) }
            self.record(.rollback, name: name, message: "swapped back to the previous version")
            return self.outcome(name: name, created: false, warnings: [])
        case .delete(_, let force):
            return try self.delete(name: name, force: force)
        case .renew:
            return try self.renew(name: name)
        }
    }

    /// Validates and saves an import (PEM or PFX bytes).
    private func importCertificate(_ request: CertificateImportRequest) throws(MutationError) -> MutationOutcome {
        let result: CertificateImportResult
        do { result = try CertificateImporter.prepare(request) } catch { throw .invalid("\(error)") }
        let created = !self.exists(request.name)
        try Self.write { try self.store.save(result.certificate) }
        self.record(.importCertificate, name: request.name, message: created ? "imported" : "replaced")
        return self.outcome(name: request.name, created: created, warnings: result.warnings)
    }

    /// Generates and saves a self-signed certificate (`certs selfsign`).
    private func selfSign(name: String, domains: [String], keyType: String, days: Int) throws(MutationError) -> MutationOutcome {
        guard let type = KeyType(rawValue: keyType) else {
            throw .invalid("unknown key type \"\(keyType)\"; use ec256, ec384, rsa2048, rsa3072 or rsa4096")
        }
        guard !domains.isEmpty else { throw .invalid("give at least one domain") }
        guard (1...3650).contains(days) else { throw .invalid("days must be between 1 and 3650") }
        do { try CertificateImporter.checkName(name) } catch { throw .invalid("\(error)") }
        let generated: (chainPEM: String, keyPEM: String)
        do { generated = try SelfSignedGenerator.generate(domains: domains, keyType: type, days: days) } catch {
            throw .invalid("\(error)")
        }
        let metadata = CertificateMetadata(source: .selfSigned, domains: domains, created: CertificateClock.rfc3339(Date()))
        let created = !self.exists(name)
        let certificate = StoredCertificate(name: name, chainPEM: generated.chainPEM, keyPEM: generated.keyPEM, metadata: metadata)
        try Self.write { try self.store.save(certificate) }
        self.record(.importCertificate, name: name, message: "self-signed certificate generated")
        return self.outcome(name: name, created: created, warnings: [])
    }

    /// Moves a certificate out of service; refused while deployed unless `force`.
    private func delete(name: String, force: Bool) throws(MutationError) -> MutationOutcome {
        guard self.exists(name) else { throw .notFound("certificate \"\(name)\" is not in the store") }
        let users = self.deployments(of: name)
        if !users.isEmpty && !force {
            throw .conflict(
                "certificate \"\(name)\" is used by \(users.joined(separator: ", ")); "
                    + "change the configuration first or pass --force")
        }
        try Self.write { try self.store.remove(name: name) }
        self.record(.delete, name: name, message: "moved to previous/")
        let commit = self.commit(trigger: .api)
        return MutationOutcome(
            created: false, row: nil, warnings: [], commit: commit,
            served: commit.generation != nil && self.contextCache.servedCertificate(name: name) == nil)
    }

    /// Asks the ACME client to renew `name` now.
    private func renew(name: String) throws(MutationError) -> MutationOutcome {
        let managed = self.config.sites.contains { $0.certificate == "acme" && $0.certificateName == name }
        guard managed else {
            guard self.exists(name) else { throw .notFound("certificate \"\(name)\" is not in the store") }
            throw .conflict("certificate \"\(name)\" is not managed by ACME; only ACME certificates can be renewed")
        }
        guard let acme = self.acme else { throw .conflict("the ACME client is not running") }
        acme.renew(name: name)
        self.record(.acme, name: name, message: "renewal requested")
        let row = self.storedCertificate(name: name).flatMap { try? CertificateStatusTable.row($0, config: self.config, now: Date()) }
        return MutationOutcome(
            created: false, row: row, warnings: [], commit: .committed(generation: self.generation), served: false)
    }

    /// Commits after a store change to `name` (only that certificate is read again) and describes the result.
    private func outcome(name: String, created: Bool, warnings: [String]) -> MutationOutcome {
        let commit = self.commitChanged([name], trigger: .api)
        let row = self.storedCertificate(name: name).flatMap { try? CertificateStatusTable.row($0, config: self.config, now: Date()) }
        let served = !self.deployments(of: name).isEmpty && self.servesStoredVersion(name: name)
        return MutationOutcome(created: created, row: row, warnings: warnings, commit: commit, served: served)
    }

    /// Whether `name` has a folder in the store.
    private func exists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: self.store.layout.certificateDirectory(name: name))
    }

    /// Runs a store write, mapping its error to `.failed`.
    private static func write(_ body: () throws -> Void) throws(MutationError) {
        do { try body() } catch { throw .failed("\(error)") }
    }
}
