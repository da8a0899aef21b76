import Glibc

/// A resolved IPv4 or IPv6 socket address, stored inline (no allocation) and hashable by its bytes,
/// so it can key per-worker upstream pools.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// Raw storage; only the first `length` bytes are meaningful.
    public private(set) var storage = sockaddr_storage()
    public private(set) var length: socklen_t = 0

    /// Copies `length` bytes from a C sockaddr.
    public init(copying address: UnsafePointer<sockaddr>, length: socklen_t) {
        let count = min(Int(length), MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutableBytes(of: &self.storage) { dst in
            dst.copyMemory(from: UnsafeRawBufferPointer(start: address, count: count))
        }
        self.length = socklen_t(count)
    }

    /// Resolves `host` (an IP literal, or a name when `numericOnly` is false) and `port`.
    public static func resolve(host: String, port: Int, numericOnly: Bool) throws(AddressError) -> SocketAddress {
        var hints = addrinfo()
        hints.ai_socktype = SocketType.stream  // see ListenSocket.swift
        hints.ai_flags = numericOnly ? AI_NUMERICHOST | AI_NUMERICSERV : AI_NUMERICSERV
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, let first = result, let address = first.pointee.ai_addr else {
            throw AddressError(host: host, port: port, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(result) }
        return SocketAddress(copying: address, length: first.pointee.ai_addrlen)
    }

    /// The address family (AF_INET or AF_INET6).
    public var family: Int32 { Int32(self.storage.ss_family) }

    /// The port in host byte order.
    public var port: Int {
        withUnsafeBytes(of: self.storage) { raw in
            // sin_port and sin6_port share offset 2 in both layouts.
            Int(UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self)))
        }
    }

    /// Calls `body` with a C view of the address.
    public func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: self.storage) { raw in
            try body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), self.length)
        }
    }

    /// Writes the IP text (no port) into `buffer`; returns the byte count. No allocation.
    public func writeIP(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        withUnsafeBytes(of: self.storage) { raw -> Int in
            let offset = self.family == AF_INET6 ? 8 : 4  // sin6_addr / sin_addr
            let dst = buffer.baseAddress!.assumingMemoryBound(to: CChar.self)
            guard inet_ntop(self.family, raw.baseAddress! + offset, dst, socklen_t(buffer.count)) != nil else {
                return 0
            }
            return strlen(dst)
        }
    }

    public var description: String {
        var bytes = [UInt8](repeating: 0, count: 64)
        let count = bytes.withUnsafeMutableBytes { self.writeIP(into: $0) }
        let ip = String(decoding: bytes[0..<count], as: UTF8.self)
        return self.family == AF_INET6 ? "[\(ip)]:\(self.port)" : "\(ip):\(self.port)"
    }

    public static func == (lhs: SocketAddress, rhs: SocketAddress) -> Bool {
        guard lhs.length == rhs.length else { return false }
        return withUnsafeBytes(of: lhs.storage) { l in
            withUnsafeBytes(of: rhs.storage) { r in memcmp(l.baseAddress!, r.baseAddress!, Int(lhs.length)) == 0 }
        }
    }

    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes(of: self.storage) { raw in
            hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: raw[0..<Int(self.length)]))
        }
    }
}

/// An address that could not be resolved or parsed.
public struct AddressError: Error, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var reason: String
    public var description: String { "resolving \(self.host):\(self.port): \(self.reason)" }
}
