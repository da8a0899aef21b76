import Glibc

/// Crash-safe file replacement: a temporary file in the same directory is written, given its mode,
/// fsynced and renamed over the target, then the directory is fsynced. A reader (or a restart after a
/// crash) sees the old file or the new one, never a mix.
public enum AtomicFile {
    /// Replaces `path` with `bytes`, with permissions `mode` (0600 for keys) set before the rename.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t) throws {
        let directory = Self.parentDirectory(of: path)
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        var template = Array("\(directory)/.\(fileName).tmp-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw CertificateStoreError.fileSystem("creating a temporary file for", path, errno) }
        let temporaryPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        do {
            try Self.fill(fd, with: bytes, mode: mode, path: path)
        } catch {
            Glibc.close(fd)
            unlink(temporaryPath)
            throw error
        }
        guard Glibc.close(fd) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw CertificateStoreError.fileSystem("closing", temporaryPath, code)
        }
        guard rename(temporaryPath, path) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw CertificateStoreError.fileSystem("renaming a temporary file over", path, code)
        }
        try Self.syncDirectory(directory)
    }

    /// Flushes a directory's entries (a rename is durable only once its directory is synced).
    public static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw CertificateStoreError.fileSystem("opening the directory", path, errno) }
        defer { Glibc.close(fd) }
        guard fsync(fd) == 0 else { throw CertificateStoreError.fileSystem("syncing the directory", path, errno) }
    }

    /// Sets the mode, writes everything (retrying short writes and EINTR) and fsyncs.
    private static func fill(_ fd: Int32, with bytes: [UInt8], mode: mode_t, path: String) throws {
        guard fchmod(fd, mode) == 0 else { throw CertificateStoreError.fileSystem("setting the mode of", path, errno) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { throw CertificateStoreError.fileSystem("writing", path, errno) }
            written += result
        }
        guard fsync(fd) == 0 else { throw CertificateStoreError.fileSystem("syncing", path, errno) }
    }

    /// The directory part of `path` ("." for a bare file name).
    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
