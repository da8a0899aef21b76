import Glibc
import PortcullisConfig
import PortcullisHTTP

/// The access-log files of one control plane, opened once per path and kept open across reloads.
/// `reopen()` (SIGUSR1, after logrotate moved the files) opens each path again and `dup2`s the new
/// file onto the descriptor the workers already write to, so no worker ever sees a closed descriptor.
final class AccessLogFiles {
    private var open: [String: Int32] = [:]
    /// stdout and stderr as the workers write them (see `stream`), made once each.
    private var streams: [Int32: (fd: Int32, isSocket: Bool)] = [:]

    /// The sink for a configured `access_log` value. With `dryRun` (validate), only checks that the
    /// file could be opened for appending, and creates nothing.
    func sink(path: String, format: AccessLogFormat, dryRun: Bool = false) throws -> AccessLogSink {
        let kind: AccessLogSink.Format = format == .json ? .json : (format == .common ? .common : .combined)
        switch path {
        case "off": return AccessLogSink(fd: -1, format: kind)
        case "stdout", "stderr":
            let stream = self.stream(path == "stdout" ? 1 : 2)
            return AccessLogSink(fd: stream.fd, format: kind, isSocket: stream.isSocket)
        default:
            if let fd = self.open[path] { return AccessLogSink(fd: fd, format: kind) }
            if dryRun {
                try Self.checkWritable(path)
                return AccessLogSink(fd: -1, format: kind)
            }
            let fd = try Self.openFile(path)
            self.open[path] = fd
            return AccessLogSink(fd: fd, format: kind)
        }
    }

    /// Opens every file again (logrotate's `postrotate kill -USR1`); returns one sentence per file
    /// that could not be reopened (that file keeps its old descriptor).
    func reopen() -> [String] {
        var problems: [String] = []
        for (path, fd) in self.open {
            do {
                let fresh = try Self.openFile(path)
                if dup2(fresh, fd) < 0 { problems.append("reopening access log \(path): \(String(cString: strerror(errno)))") }
                close(fresh)
            } catch {
                problems.append("\(error)")
            }
        }
        return problems
    }

    /// A way to write standard stream `fd` that never blocks a worker. A pipe, FIFO or terminal is
    /// opened again through /proc/self/fd with O_NONBLOCK: a private open file description, so the
    /// flag does not leak to the process's own logs on that stream or to whoever shares it. A socket
    /// (systemd's journal stream) is written with `send(MSG_DONTWAIT)`. A regular file is kept as is,
    /// with its shared offset (a reader cannot stall it, and `> log 2>&1` keeps one sequence).
    private func stream(_ fd: Int32) -> (fd: Int32, isSocket: Bool) {
        if let known = self.streams[fd] { return known }
        var result = (fd: fd, isSocket: false)
        var info = stat()
        if fstat(fd, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFSOCK:
                result.isSocket = true
            case S_IFIFO, S_IFCHR:
                let reopened = Glibc.open("/proc/self/fd/\(fd)", O_WRONLY | O_APPEND | O_NONBLOCK | O_CLOEXEC)
                if reopened >= 0 { result.fd = reopened }
            default:
                break
            }
        }
        self.streams[fd] = result
        return result
    }

    /// The paths of the open files.
    var paths: [String] { self.open.keys.sorted() }

    /// `open(2)` for appending, created 0640 if missing.
    private static func openFile(_ path: String) throws -> Int32 {
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0o640)
        guard fd >= 0 else { throw ServerError("opening access log \(path): \(String(cString: strerror(errno)))") }
        return fd
    }

    /// Whether `path` can be appended to (an existing file) or created (its directory is writable).
    private static func checkWritable(_ path: String) throws {
        if access(path, F_OK) == 0 {
            guard access(path, W_OK) == 0 else {
                throw ServerError("opening access log \(path): \(String(cString: strerror(errno)))")
            }
            return
        }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        guard access(directory, W_OK) == 0 else {
            throw ServerError("opening access log \(path): \(String(cString: strerror(errno)))")
        }
    }
}
