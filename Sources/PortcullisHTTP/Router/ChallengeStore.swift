import Glibc
import PortcullisCore
import Synchronization

/// ACME HTTP-01 key authorizations by token: an in-memory map (filled by the ACME client) plus a
/// certbot-webroot-style folder `<state_dir>/acme-challenges/<token>` for external clients.
public final class ChallengeStore: Sendable {
    private let tokens = Mutex<[String: [UInt8]]>([:])
    private let directory: Mutex<String>

    /// `directory` is the challenge folder (it need not exist).
    public init(directory: String) { self.directory = Mutex(directory) }

    /// Publishes a token's key authorization.
    public func publish(token: String, keyAuthorization: String) {
        self.tokens.withLock { $0[token] = Array(keyAuthorization.utf8) }
    }

    /// Withdraws a token.
    public func withdraw(token: String) { _ = self.tokens.withLock { $0.removeValue(forKey: token) } }

    /// Points the folder lookup elsewhere (after a reload changed `state_dir`).
    public func setDirectory(_ path: String) { self.directory.withLock { $0 = path } }

    /// The key authorization for `token`, or nil. Tokens are base64url (RFC 8555 §8.3), which also
    /// rules out path traversal in the folder lookup.
    public func keyAuthorization(token: UnsafeRawBufferPointer) -> [UInt8]? {
        guard !token.isEmpty, token.count <= 256, token.allSatisfy(Self.isBase64URL) else { return nil }
        let name = String(decoding: token, as: UTF8.self)
        if let value = self.tokens.withLock({ $0[name] }) { return value }
        return Self.readFile(self.directory.withLock { $0 } + "/" + name)
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default: return false
        }
    }

    /// Largest challenge file served; a key authorization is under 200 bytes.
    static let maxFileBytes = 8 * 1024

    /// Reads a small regular file, trimming trailing whitespace as certbot's webroot does. The open
    /// never follows a symlink (a link to a key file must not be served) and never blocks (a FIFO would
    /// stall the worker thread): anything but a regular file of at most `maxFileBytes` is absent.
    private static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var facts = stat()
        guard fstat(fd, &facts) == 0, facts.st_mode & S_IFMT == S_IFREG, facts.st_size <= Self.maxFileBytes else { return nil }
        var bytes = [UInt8](repeating: 0, count: Self.maxFileBytes + 1)
        let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        // A file that grew past the cap after fstat is refused too.
        guard count >= 0, count <= Self.maxFileBytes else { return nil }
        var end = count
        while end > 0, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[end - 1]) { end -= 1 }
        return Array(bytes[0..<end])
    }
}
