import Glibc

/// The server the resolver asks: an IP literal and a port (`[acme] resolver`, or the first
/// `nameserver` line of /etc/resolv.conf).
public struct DNSNameserver: Sendable, Equatable, CustomStringConvertible {
    /// IPv4 or IPv6 literal, without brackets.
    public let host: String
    public let port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// `127.0.0.1:53` or `[::1]:53` form, as evdns expects it.
    public var description: String {
        self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)"
    }

    /// Parses `host:port` (IPv6 in brackets); nil when it is not an IP literal with a port 1–65535.
    public static func parse(_ text: String) -> DNSNameserver? {
        var host = Substring(text)
        var portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return nil
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let port = UInt16(portText), port > 0, Self.isIPLiteral(String(host)) else { return nil }
        return DNSNameserver(host: String(host), port: port)
    }

    /// The first usable `nameserver` of a resolv.conf text; port 53.
    public static func fromResolvConf(_ text: String) -> DNSNameserver? {
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0] == "nameserver" else { continue }
            let host = String(fields[1].split(separator: "%").first ?? "")
            if Self.isIPLiteral(host) { return DNSNameserver(host: host, port: 53) }
        }
        return nil
    }

    /// The system's nameserver (read once, on the control plane), or 127.0.0.1:53 as evdns assumes.
    public static func system(path: String = "/etc/resolv.conf") -> DNSNameserver {
        guard let file = fopen(path, "r") else { return DNSNameserver(host: "127.0.0.1", port: 53) }
        defer { fclose(file) }
        var bytes = [UInt8](repeating: 0, count: 16_384)
        let count = fread(&bytes, 1, bytes.count, file)
        let text = String(decoding: bytes[0..<count], as: UTF8.self)
        return Self.fromResolvConf(text) ?? DNSNameserver(host: "127.0.0.1", port: 53)
    }

    static func isIPLiteral(_ host: String) -> Bool {
        var buffer = in6_addr()
        return inet_pton(AF_INET, host, &buffer) == 1 || inet_pton(AF_INET6, host, &buffer) == 1
    }
}

/// Why a lookup got no answer. A name that does not exist is not an error: it has no records.
public enum DNSError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidName(String)
    case timeout(String)
    case serverFailure(String, code: Int)
    case malformedReply(String)
    case tooManyQueries
    case socket(String)

    public var description: String {
        switch self {
        case .invalidName(let name): return "\"\(name)\" is not a valid DNS name"
        case .timeout(let name): return "DNS lookup of \(name) timed out"
        case .serverFailure(let name, let code): return "DNS lookup of \(name) failed (server error \(code))"
        case .malformedReply(let name): return "DNS reply for \(name) was malformed"
        case .tooManyQueries: return "too many DNS lookups in flight"
        case .socket(let detail): return "DNS socket error: \(detail)"
        }
    }
}
