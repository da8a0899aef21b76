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
    /// `admin` is the admin API listener, when `[admin]` is configured (key `admin`).
    func write(generation: Int, listeners: [Entry], admin: Entry? = nil) {
        let describe = { (entry: Entry) in "{\"bind\": \"\(entry.bind)\", \"port\": \(entry.port), \"tls\": \(entry.tls)}" }
        let items = listeners.map(describe)
        let adminItem = admin.map { ", \"admin\": " + describe($0) } ?? ""
        let json = "{\"pid\": \(getpid()), \"generation\": \(generation), \"listeners\": [\(items.joined(separator: ", "))]\(adminItem)}\n"
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
