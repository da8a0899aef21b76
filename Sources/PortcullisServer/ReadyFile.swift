import Glibc

/// Writes the ready file (see docs/CONTRACTS.md): the process id, the config generation, and the
/// real port of every listener, once all workers are listening.
struct ReadyFile {
    struct Entry {
        var bind: String
        var port: Int
        var tls: Bool
    }

    let path: String

    /// Atomically replaces the file (temp file + rename) so readers never see half a document.
    func write(generation: Int, listeners: [Entry]) {
        let items = listeners.map { "{\"bind\": \"\($0.bind)\", \"port\": \($0.port), \"tls\": \($0.tls)}" }
        let json = "{\"pid\": \(getpid()), \"generation\": \(generation), \"listeners\": [\(items.joined(separator: ", "))]}\n"
        let temporary = self.path + ".tmp"
        // Never write through whatever sits at the temp path (a planted symlink would make us overwrite
        // its target): remove it, then create a fresh file that must not exist and is never followed.
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        _ = json.utf8CString.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count - 1) }
        fsync(fd)
        close(fd)
        rename(temporary, self.path)
    }
}
