/// A parsed HTTP/1.1 response head from an upstream (RFC 9112 §4), reused from one response to the next.
///
/// Fields follow the same rules as requests; any violation is reported as `.badGateway` (502), with the
/// precise rule kept in `underlyingError` for the log.
public final class ResponseHead {
    /// Everything a parse produces besides the fields, stored together so that a parse writes the object once.
    struct Values {
        var status = 0
        var versionMinor = 1
        var reason = ByteSpan.empty
        var wantsClose = false
        var hasUpgrade = false
        var headLength = 0
        /// The framing the fields announce, before the status and request method are considered.
        var fieldFraming = BodyFraming.untilClose
        var underlyingError: HTTPParseError?
    }

    /// The limits enforced by `parse`; `maxRequestLine` bounds the status line.
    public let limits: HTTPLimits
    /// Every field line, in order.
    public private(set) var headers: [HeaderField] = []
    private var values = Values()

    /// The status code, 100 through 599.
    public var status: Int { self.values.status }
    /// 1 for HTTP/1.1, 0 for HTTP/1.0.
    public var versionMinor: Int { self.values.versionMinor }
    /// The reason phrase, possibly empty.
    public var reason: ByteSpan { self.values.reason }
    /// Whether the upstream connection cannot be reused: `Connection: close`, or HTTP/1.0 without keep-alive.
    /// A response framed `.untilClose` also ends its connection.
    public var wantsClose: Bool { self.values.wantsClose }
    /// Whether `Connection: upgrade` and an Upgrade field are both present (with 101, a tunnel follows).
    public var hasUpgrade: Bool { self.values.hasUpgrade }
    /// Bytes parsed, through the final CRLF.
    public var headLength: Int { self.values.headLength }
    /// The rule the last failed `parse` broke, before it was mapped to `.badGateway`; nil after a success.
    public var underlyingError: HTTPParseError? { self.values.underlyingError }

    /// Creates a reusable head with room for a typical number of fields.
    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
        self.headers.reserveCapacity(min(limits.maxHeaderCount, 32))
    }

    /// Parses a response head, from the first byte through the final CRLFCRLF; every error is `.badGateway`.
    public func parse(_ head: UnsafeRawBufferPointer) throws(HTTPParseError) {
        var fields: [HeaderField] = []
        swap(&fields, &self.headers)
        defer { swap(&fields, &self.headers) }
        fields.removeAll(keepingCapacity: true)
        do {
            self.values = try Self.parse(head, limits: self.limits, into: &fields)
        } catch {
            self.values = Values(underlyingError: error)
            throw .badGateway
        }
    }

    // RFC 9112 §6.3, in order:
    //   1. HEAD, 1xx, 204 and 304 responses have no body.
    //   3. Transfer-Encoding with a final chunked: chunked.   (others were rejected by `parse`)
    //   5. A valid Content-Length: that many bytes.
    //   7. Otherwise: until the connection closes.
    /// The message body length given the request method and this status.
    public func framing(requestWasHEAD: Bool) -> BodyFraming {
        let status = self.values.status
        if requestWasHEAD || status < 200 || status == 204 || status == 304 {
            return .none
        }
        return self.values.fieldFraming
    }

    /// Parses the status line and fields, throwing the precise error.
    private static func parse(
        _ head: UnsafeRawBufferPointer,
        limits: HTTPLimits,
        into fields: inout [HeaderField]
    ) throws(HTTPParseError) -> Values {
        let line = try StartLine.parseStatusLine(head, maxLength: limits.maxRequestLine)
        var summary = FieldSummary(isRequest: false)
        var values = Values()
        values.headLength = try HeaderFieldParser.parse(
            head,
            from: line.lineEnd + 2,
            limits: limits,
            into: &fields,
            summary: &summary
        )
        let options = summary.hasConnection ? try ConnectionOptions.apply(to: &fields, in: head) : ConnectionOptions()
        values.status = line.status
        values.versionMinor = line.minor
        values.reason = line.reason
        values.fieldFraming = try Self.fieldFraming(summary, http11: line.minor == 1)
        values.wantsClose = options.close || (line.minor == 0 && !options.keepAlive)
        values.hasUpgrade = options.upgrade && summary.upgrade != nil
        return values
    }

    /// The framing announced by Transfer-Encoding and Content-Length, rejecting ambiguous combinations.
    private static func fieldFraming(_ summary: FieldSummary, http11: Bool) throws(HTTPParseError) -> BodyFraming {
        if summary.codings.isPresent {
            guard http11 else { throw .badRequest(.transferEncodingInHTTP10) }
            guard summary.contentLength == nil else { throw .badRequest(.contentLengthWithTransferEncoding) }
            try summary.codings.requireChunkedOnly()
            return .chunked
        }
        if let length = summary.contentLength { return .contentLength(length) }
        return .untilClose
    }
}
