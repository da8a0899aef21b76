/// The form of a request-target (RFC 9112 §3.2).
public enum RequestTargetForm: Sendable, Equatable {
    /// `/path?query`
    case origin
    /// `http://authority/path?query` (or https); the authority replaces Host for routing.
    case absolute
    /// `*`, only with OPTIONS.
    case asterisk
}

/// The parts of a request line, as spans of the head.
struct RequestLine {
    var method: ByteSpan
    var target: ByteSpan
    var versionMinor: Int
    /// Index of the CR that ends the line.
    var lineEnd: Int
}

/// Parsers for the first line of a message: the request line and the status line.
enum StartLine {
    /// Index of the CR ending the line that starts at `start`, or nil when more than `limit` bytes come
    /// before it; throws on a bare CR or LF, or when the buffer ends first.
    static func lineEnd(
        _ head: UnsafeRawBufferPointer,
        from start: Int,
        limit: Int
    ) throws(HTTPParseError) -> Int? {
        let stop = min(head.count, start + limit + 1)  // the CR may sit at start + limit
        var i = start
        while i < stop {
            let b = head[i]
            if b == ASCII.cr {
                guard i + 1 < head.count, head[i + 1] == ASCII.lf else { throw .badRequest(.bareCRorLF) }
                return i
            }
            if b == ASCII.lf { throw .badRequest(.bareCRorLF) }
            i += 1
        }
        if stop == head.count && head.count <= start + limit { throw .badRequest(.incompleteHead) }
        return nil
    }

    // request-line   = method SP request-target SP HTTP-version
    // method         = token
    // request-target = origin-form / absolute-form / authority-form / asterisk-form
    /// Parses the request line at the start of `head`; a line longer than `maxLength` gets 414.
    static func parseRequestLine(
        _ head: UnsafeRawBufferPointer,
        maxLength: Int
    ) throws(HTTPParseError) -> RequestLine {
        guard let cr = try self.lineEnd(head, from: 0, limit: maxLength) else { throw .uriTooLong }
        guard cr > 0 else { throw .badRequest(.malformedRequestLine) }
        var i = 0
        while i < cr && ASCII.isTChar(head[i]) { i += 1 }
        guard i < cr else { throw .badRequest(.malformedRequestLine) }
        guard i > 0, head[i] == ASCII.sp else { throw .badRequest(.invalidMethod) }
        let method = ByteSpan(start: 0, count: i)
        let targetStart = i + 1
        guard targetStart < cr, head[targetStart] != ASCII.sp else { throw .badRequest(.malformedRequestLine) }
        var j = targetStart
        while j < cr && head[j] != ASCII.sp {
            // VCHAR only; "#" cannot start a fragment in a request-target.
            guard ASCII.isVChar(head[j]), head[j] != UInt8(ascii: "#") else { throw .badRequest(.invalidTarget) }
            j += 1
        }
        guard j < cr else { throw .badRequest(.malformedRequestLine) }
        let target = ByteSpan(start: targetStart, count: j - targetStart)
        let minor = try self.parseVersion(head, ByteSpan(start: j + 1, count: cr - j - 1))
        return RequestLine(method: method, target: target, versionMinor: minor, lineEnd: cr)
    }

    // HTTP-version = HTTP-name "/" DIGIT "." DIGIT
    // HTTP-name    = %s"HTTP"
    /// The minor version of `HTTP/1.0` or `HTTP/1.1`; other well-formed versions are unsupported.
    static func parseVersion(_ head: UnsafeRawBufferPointer, _ s: ByteSpan) throws(HTTPParseError) -> Int {
        guard s.count == 8, head.equalsASCII(ByteSpan(start: s.start, count: 5), "HTTP/"),
            let major = ASCII.digitValue(head[s.start + 5]), head[s.start + 6] == UInt8(ascii: "."),
            let minor = ASCII.digitValue(head[s.start + 7])
        else { throw .badRequest(.malformedRequestLine) }
        guard major == 1, minor <= 1 else { throw .badRequest(.unsupportedVersion) }
        return Int(minor)
    }

    // origin-form    = absolute-path [ "?" query ]
    // absolute-form  = absolute-URI
    // authority-form = uri-host ":" port      ; CONNECT only, which we do not implement
    // asterisk-form  = "*"                    ; OPTIONS only
    /// Classifies the target; returns its form, the authority of an absolute-form target, and its path.
    static func classifyTarget(
        _ head: UnsafeRawBufferPointer,
        method: ByteSpan,
        target: ByteSpan
    ) throws(HTTPParseError) -> (form: RequestTargetForm, authority: ByteSpan?, path: ByteSpan) {
        if head.equalsASCII(method, "CONNECT") { throw .notImplemented }
        let first = head[target.start]
        if first == ASCII.slash { return (.origin, nil, target) }
        if target.count == 1 && first == UInt8(ascii: "*") {
            guard head.equalsASCII(method, "OPTIONS") else { throw .badRequest(.invalidTarget) }
            return (.asterisk, nil, target)
        }
        let (authority, path) = try self.splitAbsoluteForm(head, target)
        return (.absolute, authority, path)
    }

    // absolute-URI = scheme ":" hier-part [ "?" query ]  ; here "http" or "https" with an authority
    // authority    = host [ ":" port ]                   ; userinfo ("@") is rejected (RFC 9110 §4.2.4)
    /// Splits an `http://` or `https://` target into authority and path (which may be empty or start with "?").
    static func splitAbsoluteForm(
        _ head: UnsafeRawBufferPointer,
        _ target: ByteSpan
    ) throws(HTTPParseError) -> (authority: ByteSpan, path: ByteSpan) {
        var schemeLength = 0
        if target.count > 7 && head.equalsASCIICaseInsensitive(ByteSpan(start: target.start, count: 7), "http://") {
            schemeLength = 7
        } else if target.count > 8
            && head.equalsASCIICaseInsensitive(ByteSpan(start: target.start, count: 8), "https://")
        {
            schemeLength = 8
        } else {
            throw .badRequest(.invalidTarget)
        }
        let start = target.start + schemeLength
        var i = start
        while i < target.end && head[i] != ASCII.slash && head[i] != UInt8(ascii: "?") {
            guard ASCII.isHostChar(head[i]) else { throw .badRequest(.invalidTarget) }
            i += 1
        }
        guard i > start else { throw .badRequest(.invalidTarget) }
        return (ByteSpan(start: start, count: i - start), ByteSpan(start: i, count: target.end - i))
    }

    // status-line   = HTTP-version SP status-code SP [ reason-phrase ]
    // status-code   = 3DIGIT
    // reason-phrase = 1*( HTAB / SP / VCHAR / obs-text )
    /// Parses a status line; a missing SP after the code is tolerated when the reason is empty.
    static func parseStatusLine(
        _ head: UnsafeRawBufferPointer,
        maxLength: Int
    ) throws(HTTPParseError) -> (minor: Int, status: Int, reason: ByteSpan, lineEnd: Int) {
        guard let cr = try self.lineEnd(head, from: 0, limit: maxLength) else { throw .uriTooLong }
        guard cr >= 12, head[8] == ASCII.sp, head[12] == ASCII.sp || cr == 12 else {
            throw .badRequest(.malformedRequestLine)
        }
        let minor = try self.parseVersion(head, ByteSpan(start: 0, count: 8))
        var status = 0
        for i in 9..<12 {
            guard let d = ASCII.digitValue(head[i]) else { throw .badRequest(.malformedRequestLine) }
            status = status * 10 + Int(d)
        }
        guard (100...599).contains(status) else { throw .badRequest(.malformedRequestLine) }
        let reasonStart = min(13, cr)
        for i in reasonStart..<cr where !ASCII.isFieldValueByte(head[i]) {
            throw .badRequest(.malformedRequestLine)
        }
        return (minor, status, ByteSpan(start: reasonStart, count: cr - reasonStart), cr)
    }
}
