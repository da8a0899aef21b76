import Foundation
import Glibc

/// A minimal HTTP/1.1 client for `http://` webhooks over a POSIX socket (Foundation's URLSession needs
/// FoundationNetworking on Linux). One request per connection, `Connection: close`, bounded by a timeout.
enum WebhookClient {
    /// POSTs `body` as JSON; returns the response status code.
    static func post(url: String, body: [UInt8], timeout: Double) throws -> Int {
        let (host, port, path) = try self.parse(url)
        let fd = try self.connect(host: host, port: port, timeout: timeout)
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let hostHeader = port == 80 ? host : "\(host):\(port)"
        let head = "POST \(path) HTTP/1.1\r\nHost: \(hostHeader)\r\nUser-Agent: portcullis\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        try self.send(fd, Array(head.utf8) + body)
        return try self.readStatus(fd)
    }

    /// `http://host[:port][/path]` → parts (IPv6 literals in brackets).
    static func parse(_ url: String) throws -> (host: String, port: Int, path: String) {
        guard url.hasPrefix("http://") else { throw WebhookError("\(url) is not an http:// URL") }
        let rest = url.dropFirst(7)
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        var path = String(rest.dropFirst(authority.count))
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        var host = String(authority)
        var port = 80
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            host = String(authority[..<colon])
            guard let value = Int(authority[authority.index(after: colon)...]), (1...65535).contains(value) else {
                throw WebhookError("\(url) has an invalid port")
            }
            port = value
        }
        host = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        guard !host.isEmpty else { throw WebhookError("\(url) has no host") }
        return (host, port, path)
    }

    /// A connected TCP socket (first address that answers within `timeout`).
    private static func connect(host: String, port: Int, timeout: Double) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>? = nil
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw WebhookError("cannot resolve webhook host \(host)")
        }
        defer { freeaddrinfo(list) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), 0)
            if fd >= 0 {
                var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
                close(fd)
            }
            entry = info.pointee.ai_next
        }
        throw WebhookError("cannot connect to webhook \(host):\(port): \(String(cString: strerror(errno)))")
    }

    private static func send(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { throw WebhookError("sending to the webhook failed: \(String(cString: strerror(errno)))") }
            offset += sent
        }
    }

    /// Reads until the status line is complete: `HTTP/1.1 204 No Content`.
    private static func readStatus(_ fd: Int32) throws -> Int {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !received.contains(UInt8(ascii: "\n")) && received.count < 8192 {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            received += chunk[0..<count]
        }
        let line = String(decoding: received.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw WebhookError("the webhook sent no HTTP response")
        }
        return status
    }
}
