internal import CShims
import Foundation

/// The one previous version of each certificate (`<state>/previous/<name>`), removal and listing.
/// Every step is a rename or an atomic exchange of whole folders, so a crash leaves each folder either
/// complete old or complete new.
extension CertificateStore {
    /// Names of every certificate folder in the store, sorted (staging and temporary entries skipped).
    public func names() -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: self.layout.certificatesDirectory)) ?? []
        return entries.filter { !$0.hasPrefix(".") }.map(StoreLayout.certificateName(folder:)).sorted()
    }

    /// Whether a previous version of `name` is kept.
    public func hasPrevious(name: String) -> Bool {
        FileManager.default.fileExists(atPath: self.layout.previousCertificateDirectory(name: name) + "/chain.pem")
    }

    /// Moves `name` out of service into `previous/` (so `rollback` can restore it). Throws if absent.
    public func remove(name: String) throws {
        try StoreLock.withLock(self.layout) { try self.removeLocked(name: name) }
    }

    /// `remove`, with the lock held.
    private func removeLocked(name: String) throws {
        let current = self.layout.certificateDirectory(name: name)
        guard FileManager.default.fileExists(atPath: current) else {
            throw CertificateStoreError.notFound(name: name, path: current)
        }
        // Move aside under a dot name first (one rename), so the folder leaves `certs/` atomically.
        let aside = self.layout.stagingDirectory(name: name)
        guard rename(current, aside) == 0 else {
            throw CertificateStoreError.fileSystem("removing", current, errno)
        }
        try AtomicFile.syncDirectory(self.layout.certificatesDirectory)
        self.keepAsPrevious(aside, name: name)
    }

    /// Swaps the current and previous versions of `name` (a second rollback undoes the first).
    public func rollback(name: String) throws {
        try StoreLock.withLock(self.layout) { try self.rollbackLocked(name: name) }
    }

    /// `rollback`, with the lock held.
    private func rollbackLocked(name: String) throws {
        let previous = self.layout.previousCertificateDirectory(name: name)
        guard self.hasPrevious(name: name) else {
            throw CertificateStoreError.notFound(name: name, path: previous)
        }
        try Self.makeDirectory(self.layout.certificatesDirectory, intermediates: true)
        let current = self.layout.certificateDirectory(name: name)
        try Self.replaceDirectory(current, with: previous)
        try AtomicFile.syncDirectory(self.layout.certificatesDirectory)
        try AtomicFile.syncDirectory(self.layout.previousDirectory)
    }

    /// Makes `folder` (a complete certificate folder outside `certs/`) the previous version of `name`,
    /// replacing an older one. Best effort: the current certificate is already in place.
    func keepAsPrevious(_ folder: String, name: String) {
        let previous = self.layout.previousCertificateDirectory(name: name)
        do {
            try Self.makeDirectory(self.layout.previousDirectory, intermediates: true)
            try Self.replaceDirectory(previous, with: folder)
            try AtomicFile.syncDirectory(self.layout.previousDirectory)
        } catch {}
        // After an exchange `folder` holds the older version, which is dropped.
        try? FileManager.default.removeItem(atPath: folder)
    }
}
