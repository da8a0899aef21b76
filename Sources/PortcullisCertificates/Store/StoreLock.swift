import Foundation
import Glibc

/// An exclusive `flock` on `<state_dir>/store.lock`, held around every write to the store (save,
/// remove, rollback). Writers are the control thread (generated certificates, API imports), the ACME
/// thread and `portcullis certs` in another process; each cleans up stale staging folders, which
/// without the lock could be another writer's folder in use. `flock` locks belong to the open file
/// description, so two threads of one process exclude each other as two processes do. The lock dies
/// with its holder (kill -9 included), so a crash never leaves the store locked.
enum StoreLock {
    /// Runs `body` while holding the lock of the store at `layout`.
    static func withLock<T>(_ layout: StoreLayout, _ body: () throws -> T) throws -> T {
        try? FileManager.default.createDirectory(atPath: layout.stateDir, withIntermediateDirectories: true)
        let path = layout.lockPath
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw CertificateStoreError.fileSystem("opening the store lock", path, errno) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw CertificateStoreError.fileSystem("locking the store", path, errno) }
        }
        return try body()
    }
}
