import Foundation
import Logging
import PortcullisCertificates
import PortcullisCore
import PortcullisTLS

/// Hot reload of the certificate store: inotify on `<state>/certs` and on every certificate folder the
/// configuration serves, read on the control base. Changes are debounced (20 ms from the first event),
/// then the certificates that differ from the version in service are committed (trigger `watcher`);
/// a damaged certificate is quarantined and its version in service stays. In-flight connections keep
/// their context.
final class CertificateWatch {
    static let debounce = 0.02
    private unowned let plane: ControlPlane
    private var watcher: FileWatcher?
    private var pending: PortcullisCore.Timer?
    private var warnedWatchLimit = false
    /// Certificate names with changes not yet settled.
    private var dirty: Set<String> = []

    init(plane: ControlPlane) {
        self.plane = plane
    }

    /// Starts watching; logs (and keeps serving) if inotify is unavailable.
    func start() {
        try? FileManager.default.createDirectory(atPath: self.certificatesDirectory, withIntermediateDirectories: true)
        self.watcher = FileWatcher(base: self.plane.base) { [unowned self] changes in self.onChange(changes) }
        guard self.watcher != nil else {
            self.plane.logger.warning("inotify unavailable; certificates reload on SIGHUP only")
            return
        }
        self.rewatch()
    }

    /// `<state>/certs` of the running configuration.
    private var certificatesDirectory: String {
        StoreLayout(stateDir: self.plane.config.server.stateDir).certificatesDirectory
    }

    /// Watches the store folder and the folders of served certificates in `only` (default: all of
    /// them), again after a swap replaced a folder's inode.
    func rewatch(only: Set<String>? = nil) {
        guard let watcher = self.watcher else { return }
        watcher.watch(self.certificatesDirectory)
        let layout = StoreLayout(stateDir: self.plane.config.server.stateDir)
        var names = self.plane.servedNames()
        if let only { names.formIntersection(only) }
        for name in names where !watcher.watch(layout.certificateDirectory(name: name)) {
            if errno == ENOSPC && !self.warnedWatchLimit {
                self.warnedWatchLimit = true
                self.plane.logger.warning(
                    "inotify watch limit reached; in-place edits of some certificate files need SIGHUP",
                    metadata: ["watches": "\(watcher.watchCount)"])
            }
        }
    }

    /// Any change to a visible entry marks its certificate and starts the debounce window (staging and
    /// temporary files are ignored until they are renamed into place).
    private func onChange(_ changes: [FileWatcher.Change]) {
        let certificates = self.certificatesDirectory
        for change in changes where !change.name.hasPrefix(".") {
            let folder = change.directory == certificates ? change.name : (change.directory as NSString).lastPathComponent
            if !folder.isEmpty && !folder.hasPrefix(".") { self.dirty.insert(StoreLayout.certificateName(folder: folder)) }
        }
        guard !self.dirty.isEmpty, self.pending == nil else { return }
        self.pending = PortcullisCore.Timer(base: self.plane.base, interval: Self.debounce, repeats: false) {
            [unowned self] in
            self.pending = nil
            self.settle()
        }
    }

    /// Commits when a served certificate on disk differs from the one in service. The proxy's own
    /// writes (generated certificates, API imports already committed) and unused certificates cause
    /// no commit.
    private func settle() {
        let names = self.dirty
        self.dirty = []
        self.rewatch(only: names)
        let served = self.plane.servedNames()
        let store = self.plane.store
        let changed = names.filter { name in
            guard served.contains(name) else { return false }
            let live = self.plane.contextCache.servedCertificate(name: name)
            guard let disk = try? store.loadFromDisk(name: name), let live else { return true }
            return disk.chainPEM != live.chainPEM || disk.keyPEM != live.keyPEM
        }
        if !changed.isEmpty {
            self.plane.commitChanged(Set(changed), trigger: .watcher)
        }
        self.plane.expiry?.check(self.plane.config, only: names)
    }
}
