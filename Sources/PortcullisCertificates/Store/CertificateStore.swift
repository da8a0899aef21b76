internal import CShims
import Foundation

/// The on-disk certificate store (`<state>/certs/<name>/{chain.pem,key.pem,meta.json}`). A save replaces
/// a certificate's whole folder in one atomic step, so a crash leaves the old or the new certificate,
/// never a chain from one and a key from the other. Stateless apart from its layout; the control plane
/// serialises writes.
public final class CertificateStore: Sendable {
    /// Where everything lives.
    public let layout: StoreLayout
    /// When set, `load` also checks that the certificate can be served, and answers with the last good
    /// version instead of a damaged or missing one (the running proxy's store watcher).
    let fallback: CertificateFallback?

    /// A store over `layout`; folders are created on the first save.
    public init(layout: StoreLayout, fallback: CertificateFallback? = nil) {
        self.layout = layout
        self.fallback = fallback
    }

    /// The certificate called `name`, or nil if it has no folder. Throws if the folder is damaged
    /// (with a fallback: returns the last good version instead, when there is one).
    public func load(name: String) throws -> StoredCertificate? {
        guard let fallback = self.fallback else { return try self.loadFromDisk(name: name) }
        do {
            guard let certificate = try self.loadFromDisk(name: name) else {
                throw CertificateStoreError.incomplete(name: name, missingPath: self.layout.certificateDirectory(name: name))
            }
            if fallback.isSuspect(name), !fallback.isLastGood(certificate) { _ = try StoredCertificateCheck.check(certificate) }
            return certificate
        } catch {
            guard let good = fallback.lastGood(name) else {
                if case CertificateStoreError.incomplete(_, let path) = error, path == self.layout.certificateDirectory(name: name) {
                    return nil
                }
                throw error
            }
            fallback.rejected(name, "\(error)")
            return good
        }
    }

    /// `load` without the fallback: exactly what is on disk.
    public func loadFromDisk(name: String) throws -> StoredCertificate? {
        let directory = self.layout.certificateDirectory(name: name)
        guard FileManager.default.fileExists(atPath: directory) else { return nil }
        let chain = try Self.readText(self.layout.chainPath(name: name), certificate: name)
        let key = try Self.readText(self.layout.keyPath(name: name), certificate: name)
        let metadataPath = self.layout.metadataPath(name: name)
        let metadataText = try Self.readText(metadataPath, certificate: name)
        do {
            let metadata = try JSONDecoder().decode(CertificateMetadata.self, from: Data(metadataText.utf8))
            return StoredCertificate(name: name, chainPEM: chain, keyPEM: key, metadata: metadata)
        } catch {
            throw CertificateStoreError.invalidMetadata(path: metadataPath, detail: "\(error)")
        }
    }

    /// Writes `certificate` (key 0600) into a staging folder, then swaps it in for the old folder,
    /// holding the store lock (`StoreLock`) throughout.
    public func save(_ certificate: StoredCertificate) throws {
        guard !certificate.name.isEmpty else { throw CertificateStoreError.invalidName(certificate.name) }
        try StoreLock.withLock(self.layout) { try self.saveLocked(certificate) }
    }

    /// `save`, with the lock held.
    private func saveLocked(_ certificate: StoredCertificate) throws {
        let parent = self.layout.certificatesDirectory
        try Self.makeDirectory(parent, intermediates: true)
        self.removeStaleStaging(name: certificate.name)
        let staging = self.layout.stagingDirectory(name: certificate.name)
        try Self.makeDirectory(staging)
        do {
            try AtomicFile.write(Array(certificate.chainPEM.utf8), to: staging + "/chain.pem", mode: 0o644)
            try AtomicFile.write(Array(certificate.keyPEM.utf8), to: staging + "/key.pem", mode: 0o600)
            try AtomicFile.write(try Self.encode(certificate.metadata), to: staging + "/meta.json", mode: 0o644)
            try Self.replaceDirectory(self.layout.certificateDirectory(name: certificate.name), with: staging)
            try AtomicFile.syncDirectory(parent)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
        // After an exchange, `staging` holds the previous folder: keep it as the one previous version.
        if FileManager.default.fileExists(atPath: staging) {
            self.keepAsPrevious(staging, name: certificate.name)
        }
    }

    /// Moves `staging` to `target`: one rename when `target` is new, an atomic exchange otherwise
    /// (afterwards `staging` holds the old folder).
    static func replaceDirectory(_ target: String, with staging: String) throws {
        if rename(staging, target) == 0 { return }
        guard errno == EEXIST || errno == ENOTEMPTY else {
            throw CertificateStoreError.fileSystem("moving the new certificate folder to", target, errno)
        }
        guard pc_rename_exchange(staging, target) == 0 else {
            throw CertificateStoreError.fileSystem("swapping in the new certificate folder", target, errno)
        }
    }

    /// The whole file as UTF-8 text; a missing file is reported as an incomplete certificate.
    static func readText(_ path: String, certificate name: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CertificateStoreError.incomplete(name: name, missingPath: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CertificateStoreError.fileSystem("reading", path, EACCES)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// `mkdir` with mode 0755 (and missing parents if asked), accepting an existing directory.
    static func makeDirectory(_ path: String, intermediates: Bool = false) throws {
        if intermediates {
            try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw CertificateStoreError.fileSystem("creating the directory", path, errno)
        }
    }

    /// Removes staging folders for `name` left by a crash between staging and swapping.
    private func removeStaleStaging(name: String) {
        let prefix = ".staging-" + StoreLayout.safeFolderName(name) + "-"
        let parent = self.layout.certificatesDirectory
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
        for entry in entries where entry.hasPrefix(prefix) {
            try? FileManager.default.removeItem(atPath: parent + "/" + entry)
        }
    }

    /// Pretty, key-sorted JSON with a final newline, for humans and other tools.
    private static func encode(_ metadata: CertificateMetadata) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(metadata)) + [UInt8(ascii: "\n")]
    }
}
