/// A parsed HTTP/1.1 response head from an upstream (RFC 9112 §4), reused from one response to the next.
///
/// Fields follow the same rules as requests; any violation is reported as `.badGateway` (502), with the
/// precise rule kept in `underlyingError` for the log.
public final class ResponseHead {
    /// The limits enforced by `parse`; `maxRequestLine` bounds the status line.
    public let limits: HTTPLimits
    /// The status code, 100 through 599.
    public private(set) var status = 0
    /// 1 for HTTP/1.1, 0 for HTTP/1.0.
    public private(set) var versionMinor = 1
    /// The reason phrase, possibly empty.
    public private(set) var reason = ByteSpan.empty
    /// Every field line, in order.
    public private(set) var headers: [HeaderField] = []
    /// Whether the upstream connection cannot be reused: `Connection: close`, or HTTP/1.0 without keep-alive.
    /// A response framed `.untilClose` also ends its connection.
    public private(set) var wantsClose = false
    /// Whether `Connection: upgrade` and an Upgrade field are both present (with 101, a tunnel follows).
    public private(set) var hasUpgrade = false
    /// Bytes parsed, through the final CRLF.
    public private(set) var headLength = 0
    /// The rule the last failed `parse` broke, before it was mapped to `.badGateway`.
    public private(set) var underlyingError: HTTPParseError?
    /// The framing the fields announce, before the status and request method are considered.
    private var fieldFraming = BodyFraming.untilClose

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
        self.underlyingError = nil
        do {
            try self.parseFields(head, into: &fields)
        } catch {
            self.underlyingError = error
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
        if requestWasHEAD || self.status < 200 || self.status == 204 || self.status == 304 {
            return .none
        }
        return self.fieldFraming
    }

    /// Parses the status line and fields, throwing the precise error.
    private func parseFields(_ head: UnsafeRawBufferPointer, into fields: inout [HeaderField]) throws(HTTPParseError) {
        (self.status, self.versionMinor, self.reason, self.headLength) = (0, 1, .empty, 0)
        (self.wantsClose, self.hasUpgrade, self.fieldFraming) = (false, false, .untilClose)
        let line = try StartLine.parseStatusLine(head, maxLength: self.limits.maxRequestLine)
        var summary = FieldSummary(isRequest: false)
        self.headLength = try HeaderFieldParser.parse(
            head, from: line.lineEnd + 2, limits: self.limits, into: &fields, summary: &summary)
        let options = summary.hasConnection ? try ConnectionOptions.apply(to: &fields, in: head) : ConnectionOptions()
        self.status = line.status
        self.versionMinor = line.minor
        self.reason = line.reason
        self.fieldFraming = try Self.fieldFraming(summary, http11: line.minor == 1)
        self.wantsClose = options.close || (line.minor == 0 && !options.keepAlive)
        self.hasUpgrade = options.upgrade && summary.upgrade != nil
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
