/// Statuses the proxy generates itself, with their reason phrases and short bodies.
enum ProxyStatus: Int {
    case ok = 200
    case movedPermanently = 301
    case badRequest = 400
    case notFound = 404
    case requestTimeout = 408
    case contentTooLarge = 413
    case uriTooLong = 414
    case misdirected = 421
    case headerFieldsTooLarge = 431
    case notImplemented = 501
    case badGateway = 502
    case serviceUnavailable = 503
    case gatewayTimeout = 504

    /// `HTTP/1.1 NNN Reason` without CRLF.
    var statusLine: StaticString {
        switch self {
        case .ok: return "HTTP/1.1 200 OK"
        case .movedPermanently: return "HTTP/1.1 301 Moved Permanently"
        case .badRequest: return "HTTP/1.1 400 Bad Request"
        case .notFound: return "HTTP/1.1 404 Not Found"
        case .requestTimeout: return "HTTP/1.1 408 Request Timeout"
        case .contentTooLarge: return "HTTP/1.1 413 Content Too Large"
        case .uriTooLong: return "HTTP/1.1 414 URI Too Long"
        case .misdirected: return "HTTP/1.1 421 Misdirected Request"
        case .headerFieldsTooLarge: return "HTTP/1.1 431 Request Header Fields Too Large"
        case .notImplemented: return "HTTP/1.1 501 Not Implemented"
        case .badGateway: return "HTTP/1.1 502 Bad Gateway"
        case .serviceUnavailable: return "HTTP/1.1 503 Service Unavailable"
        case .gatewayTimeout: return "HTTP/1.1 504 Gateway Timeout"
        }
    }

    /// The status for a parser rejection.
    init(parseError: HTTPParseError) {
        self = ProxyStatus(rawValue: parseError.status) ?? .badRequest
    }
}

/// Appending to byte buffers without building Strings.
extension Array where Element == UInt8 {
    @inline(__always)
    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { self.append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func append(bytes: UnsafeRawBufferPointer) { self.append(contentsOf: bytes) }

    /// Appends a non-negative decimal number.
    mutating func appendDecimal(_ value: Int) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = Swift.max(0, value)
        Swift.withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            self.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(20 - count)...]))
        }
    }
}
