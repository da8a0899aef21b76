/// Header fields the proxy acts on, recognised case-insensitively while parsing.
public enum KnownHeader: UInt8, Sendable {
    case other, host, contentLength, transferEncoding, connection, keepAlive, upgrade, te, trailer
    case proxyConnection, proxyAuthenticate, proxyAuthorization, xForwardedFor, xForwardedProto
    case xForwardedHost, forwarded, expect, strictTransportSecurity

    /// Whether a field with this name is always hop-by-hop (RFC 9110 §7.6.1, plus Proxy-Connection).
    @inlinable
    public var isAlwaysHopByHop: Bool {
        switch self {
        case .connection, .keepAlive, .proxyConnection, .te, .trailer, .transferEncoding, .upgrade: return true
        default: return false
        }
    }

    /// Recognises the field name at `name` in `bytes`; `.other` for any other name.
    static func classify(_ name: ByteSpan, in bytes: UnsafeRawBufferPointer) -> KnownHeader {
        // Dispatch on length first so that most names cost one comparison at most.
        func eq(_ literal: StaticString) -> Bool { bytes.equalsASCIICaseInsensitive(name, literal) }
        switch name.count {
        case 2: return eq("te") ? .te : .other
        case 4: return eq("host") ? .host : .other
        case 6: return eq("expect") ? .expect : .other
        case 7: return eq("upgrade") ? .upgrade : eq("trailer") ? .trailer : .other
        case 9: return eq("forwarded") ? .forwarded : .other
        case 10: return eq("connection") ? .connection : eq("keep-alive") ? .keepAlive : .other
        case 14: return eq("content-length") ? .contentLength : .other
        case 15: return eq("x-forwarded-for") ? .xForwardedFor : .other
        case 16:
            return eq("proxy-connection") ? .proxyConnection : eq("x-forwarded-host") ? .xForwardedHost : .other
        case 17:
            return eq("transfer-encoding")
                ? .transferEncoding : eq("x-forwarded-proto") ? .xForwardedProto : .other
        case 18: return eq("proxy-authenticate") ? .proxyAuthenticate : .other
        case 19: return eq("proxy-authorization") ? .proxyAuthorization : .other
        case 25: return eq("strict-transport-security") ? .strictTransportSecurity : .other
        default: return .other
        }
    }
}

/// One field line of a head: spans of its name and OWS-trimmed value in the parsed buffer.
public struct HeaderField: Sendable {
    /// The field name, as sent.
    public var name: ByteSpan
    /// The field value without leading or trailing OWS; may be empty.
    public var value: ByteSpan
    /// The recognised name, or `.other`.
    public var known: KnownHeader
    /// Whether a proxy must not forward this field: Connection, Keep-Alive, Proxy-Connection, TE, Trailer,
    /// Transfer-Encoding, Upgrade, and every field named in a Connection header (except Host and
    /// Content-Length, which frame or route the message and are never dropped on a peer's say-so).
    public var isHopByHop: Bool

    /// Creates a field.
    @inlinable
    public init(name: ByteSpan, value: ByteSpan, known: KnownHeader, isHopByHop: Bool) {
        self.name = name
        self.value = value
        self.known = known
        self.isHopByHop = isHopByHop
    }
}

/// How the length of a message body is determined (RFC 9112 §6.3).
public enum BodyFraming: Sendable, Equatable {
    /// No body.
    case none
    /// Exactly this many bytes.
    case contentLength(Int64)
    /// Chunked transfer coding; use `ChunkedScanner` to find the end.
    case chunked
    /// Everything until the peer closes (responses only).
    case untilClose
}

extension Array where Element == HeaderField {
    /// The first field with the given recognised name, if any.
    @inlinable
    public func first(_ known: KnownHeader) -> HeaderField? {
        for field in self where field.known == known {
            return field
        }
        return nil
    }
}
