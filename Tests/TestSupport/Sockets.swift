import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Small POSIX socket helpers on 127.0.0.1 (close-on-exec, never SIGPIPE).
public enum LoopbackSocket {
    static func address(port: UInt16) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return addr
    }

    /// A listening socket on 127.0.0.1 port 0; returns the descriptor and the port the kernel chose.
    public static func listen(backlog: Int32 = 128) throws -> (fd: Int32, port: UInt16) {
        ignoreSIGPIPE()
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket failed: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = address(port: 0)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, backlog) == 0 else {
            close(fd)
            throw HarnessError("bind/listen on 127.0.0.1:0 failed: errno \(errno)")
        }
        return (fd, try localPort(fd))
    }

    static func localPort(_ fd: Int32) throws -> UInt16 {
        var addr = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let rc = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        guard rc == 0 else { throw HarnessError("getsockname failed: errno \(errno)") }
        return UInt16(bigEndian: addr.sin_port)
    }

    private typealias Accept4 = @convention(c) (Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32) -> Int32
    /// glibc's accept4, which Swift does not import (it needs _GNU_SOURCE); looked up once.
    private static let accept4: Accept4? = dlsym(nil, "accept4").map { unsafeBitCast($0, to: Accept4.self) }

    /// accept with SOCK_CLOEXEC set atomically, so a concurrently spawned child never inherits it.
    public static func acceptCloseOnExec(_ fd: Int32) -> Int32 {
        if let accept4 { return accept4(fd, nil, nil, Int32(SOCK_CLOEXEC.rawValue)) }
        let client = accept(fd, nil, nil)
        if client >= 0 { _ = fcntl(client, F_SETFD, FD_CLOEXEC) }
        return client
    }

    /// A port on 127.0.0.1 that nothing listens on (bound to port 0, then closed): free for a server
    /// the test starts later. Another parallel test may be given it too; for a port that must stay
    /// down, use `refusedPort()`.
    public static func closedPort() throws -> UInt16 {
        let (fd, port) = try listen()
        close(fd)
        return port
    }

    /// A port on 127.0.0.1 that refuses connections: a "down" upstream. The socket stays bound (no
    /// SO_REUSEADDR, never listening) for the life of the test process, so no other test's server can
    /// be given the same port by a parallel bind to port 0.
    public static func refusedPort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket failed: errno \(errno)") }
        var addr = address(port: 0)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(fd)
            throw HarnessError("bind on 127.0.0.1:0 failed: errno \(errno)")
        }
        return try localPort(fd)
    }

    /// Connects to 127.0.0.1:port; returns the descriptor or nil when refused.
    public static func connect(port: UInt16) -> Int32? {
        ignoreSIGPIPE()
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var addr = address(port: port)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 {
            close(fd)
            return nil
        }
        return fd
    }

    /// True when a TCP connection to 127.0.0.1:port is accepted by the kernel (the socket is closed again).
    public static func accepts(port: UInt16) -> Bool {
        guard let fd = connect(port: port) else { return false }
        close(fd)
        return true
    }

    /// Sends every byte (MSG_NOSIGNAL); false when the peer is gone.
    @discardableResult
    public static func sendAll(_ fd: Int32, _ bytes: some Collection<UInt8>) -> Bool {
        let array = Array(bytes)
        var offset = 0
        while offset < array.count {
            let n = array[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    /// Sends from a raw buffer without copying (for large pattern streams).
    @discardableResult
    public static func sendAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < buffer.count {
            let n = send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }
}

/// Buffered blocking reads from a socket: lines, exact counts, whatever is available.
final class SocketReader {
    let fd: Int32
    private(set) var buffer: [UInt8] = []
    private var position = 0

    init(fd: Int32) { self.fd = fd }

    /// Reads more bytes into the buffer; false on EOF or error.
    private func fill() -> Bool {
        if self.position > 0 && self.position == self.buffer.count {
            self.buffer.removeAll(keepingCapacity: true)
            self.position = 0
        }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                self.buffer.append(contentsOf: chunk[0..<n])
                return true
            }
            if n < 0 && errno == EINTR { continue }
            return false
        }
    }

    /// A line without its CRLF (a bare LF also ends it); nil on EOF, or when `limit` bytes pass.
    func readLine(limit: Int = 1 << 20) -> String? {
        while true {
            if let lf = self.buffer[self.position...].firstIndex(of: 10) {
                var end = lf
                if end > self.position && self.buffer[end - 1] == 13 { end -= 1 }
                let line = String(decoding: self.buffer[self.position..<end], as: UTF8.self)
                self.position = lf + 1
                return line
            }
            if self.buffer.count - self.position > limit || !self.fill() { return nil }
        }
    }

    /// Up to `max` bytes (at least one unless EOF); empty on EOF.
    func read(max: Int) -> ArraySlice<UInt8> {
        if self.position == self.buffer.count && !self.fill() { return [] }
        let end = min(self.buffer.count, self.position + max)
        defer { self.position = end }
        return self.buffer[self.position..<end]
    }

    /// Exactly `count` bytes, or nil on EOF first.
    func read(exactly count: Int) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            let piece = self.read(max: count - out.count)
            if piece.isEmpty { return nil }
            out.append(contentsOf: piece)
        }
        return out
    }
}
