// CLibevent includes event2/dns.h; in whole-module (release) builds the socket-type constants then
// resolve only in files that import it.
internal import CLibevent
import Glibc

/// Creates listening sockets that several workers can bind to the same port (SO_REUSEPORT).
public enum ListenSocket {
    /// Binds and listens on `address`; returns the non-blocking fd and the port actually bound
    /// (useful with port 0: pass the returned port to the next worker's call).
    public static func open(_ address: SocketAddress, backlog: Int32 = 1024) throws(ListenError) -> (fd: Int32, port: Int) {
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ListenError(address: address, call: "socket", errno: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = address.withSockAddr { Glibc.bind(fd, $0, $1) }
        guard bound == 0 else {
            let code = errno
            Glibc.close(fd)
            throw ListenError(address: address, call: "bind", errno: code)
        }
        guard listen(fd, backlog) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw ListenError(address: address, call: "listen", errno: code)
        }
        return (fd, self.boundPort(fd))
    }

    /// The local port of a bound socket.
    private static func boundPort(_ fd: Int32) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketAddress(copying: $0, length: length).port }
        }
    }
}

/// A listening socket that could not be opened.
public struct ListenError: Error, CustomStringConvertible {
    public var address: SocketAddress
    public var call: String
    public var errno: Int32
    public var description: String {
        "listening on \(self.address): \(self.call) failed: \(String(cString: strerror(self.errno)))"
    }
}

/// Socket-type constants for files that import only Glibc (see the import note at the top).
enum SocketType {
    static let stream = Int32(SOCK_STREAM.rawValue)
}
