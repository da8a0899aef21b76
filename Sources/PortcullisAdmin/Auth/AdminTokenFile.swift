import Foundation
import Glibc

/// The admin bearer token on disk: 256 random bits as 64 hex digits, mode 0600, created atomically on
/// first start (temp file, fsync, rename, directory fsync) and read on every later one.
public enum AdminTokenFile {
    /// Why the token could not be read or created.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The token in `path`, creating the file (and its folder) if it does not exist.
    public static func loadOrCreate(path: String) throws -> String {
        if let existing = FileManager.default.contents(atPath: path) {
            let token = String(decoding: existing, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard token.utf8.count >= 32 else {
                throw Failure(description: "the admin token in \(path) is shorter than 32 characters; delete it to get a new one")
            }
            try self.checkMode(path)
            return token
        }
        let token = RandomToken.hex(bytes: 32)
        try self.write(token + "\n", to: path)
        return token
    }

    /// Refuses a token file that other users can read.
    private static func checkMode(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        if info.st_mode & 0o077 != 0 {
            throw Failure(description: "the admin token file \(path) is readable by other users; chmod 600 it")
        }
    }

    /// Temp file (0600) in the same folder, fsync, rename over `path`, fsync the folder.
    private static func write(_ text: String, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw self.failure("creating", temporary) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            let error = self.failure("writing", path)
            unlink(temporary)
            throw error
        }
        let dir = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }

    private static func failure(_ verb: String, _ path: String) -> Failure {
        Failure(description: "\(verb) the admin token file \(path): \(String(cString: strerror(errno)))")
    }
}
