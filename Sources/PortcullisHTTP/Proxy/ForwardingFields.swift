/// Client fields the proxy never passes on, because upstreams read them as facts the proxy vouches
/// for: the forwarding fields it sets itself, the common client-identity fields, and every field
/// whose name contains `_`. CGI, WSGI, PHP and Rack turn `X_Forwarded_For` and `X-Forwarded-For`
/// into the same `HTTP_X_FORWARDED_FOR` variable, so an underscore spelling would smuggle a spoofed
/// value past a name check (nginx drops such fields too: `underscores_in_headers off`).
enum ForwardingFields {
    /// Whether a request (or trailer) field of this name must be dropped before forwarding.
    static func isReserved(_ field: HeaderField, in head: UnsafeRawBufferPointer) -> Bool {
        switch field.known {
        case .xForwardedFor, .xForwardedProto, .xForwardedHost, .forwarded: return true
        default: break
        }
        let name = field.name
        for index in name.start..<name.end where head[index] == UInt8(ascii: "_") { return true }
        switch name.count {
        case 9: return head.equalsASCIICaseInsensitive(name, "x-real-ip")
        case 11: return head.equalsASCIICaseInsensitive(name, "x-client-ip")
        case 14: return head.equalsASCIICaseInsensitive(name, "true-client-ip")
        case 15: return head.equalsASCIICaseInsensitive(name, "x-forwarded-ssl")
        case 16:
            return head.equalsASCIICaseInsensitive(name, "x-forwarded-port")
                || head.equalsASCIICaseInsensitive(name, "x-forwarded-host")
        case 18:
            return head.equalsASCIICaseInsensitive(name, "x-forwarded-prefix")
                || head.equalsASCIICaseInsensitive(name, "x-forwarded-scheme")
        case 21: return head.equalsASCIICaseInsensitive(name, "x-client-cert-subject")
        default: return false
        }
    }

    /// Appends an RFC 7239 `Forwarded` line: `for` (IPv6 quoted in brackets), `proto`, and `host` (quoted,
    /// since a port's `:` is not a token character; the Host value was checked to hold no quote).
    static func appendForwarded(peer: UnsafeRawBufferPointer, isIPv6: Bool, https: Bool, host: UnsafeRawBufferPointer?, to out: inout [UInt8]) {
        out.append(isIPv6 ? "Forwarded: for=\"[" : "Forwarded: for=")
        out.append(bytes: peer)
        if isIPv6 { out.append("]\"") }
        out.append(https ? ";proto=https" : ";proto=http")
        if let host {
            out.append(";host=\"")
            out.append(bytes: host)
            out.append("\"")
        }
        out.append("\r\n")
    }
}
