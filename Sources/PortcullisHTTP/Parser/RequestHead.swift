/// A parsed HTTP/1.1 request head (RFC 9112 §3, §5, §6), reused from one request to the next.
///
/// Every value is a `ByteSpan` into the buffer given to `parse`, which must stay alive and unchanged while
/// they are read. Parsing allocates nothing once `headers` has grown to the largest head seen.
public final class RequestHead {
    /// The limits enforced by `parse`.
    public let limits: HTTPLimits
    /// The method token, case-sensitive (`GET`).
    public private(set) var method = ByteSpan.empty
    /// The request-target as sent.
    public private(set) var target = ByteSpan.empty
    /// Which form `target` has.
    public private(set) var targetForm = RequestTargetForm.origin
    /// The path and query to send upstream: `target` in origin form, or what follows the authority in
    /// absolute form (empty, or starting with "?", when the client sent no path: prepend "/").
    public private(set) var path = ByteSpan.empty
    /// 1 for HTTP/1.1, 0 for HTTP/1.0.
    public private(set) var versionMinor = 1
    /// Every field line, in order.
    public private(set) var headers: [HeaderField] = []
    /// The Host value (port included, as sent); for an absolute-form target, its authority instead, as
    /// RFC 9112 §3.2.2 requires. Nil only for an HTTP/1.0 request without Host.
    public private(set) var host: ByteSpan?
    /// How the request body is delimited: `.none`, `.contentLength` or `.chunked`.
    public private(set) var framing = BodyFraming.none
    /// Whether the connection closes after this exchange: HTTP/1.0 without keep-alive, or `Connection: close`.
    public private(set) var wantsClose = false
    /// The Upgrade value when `Connection: upgrade` is present in an HTTP/1.1 request.
    public private(set) var upgrade: ByteSpan?
    /// Whether the method is HEAD (its response has no body).
    public private(set) var isHEAD = false
    /// Whether an HTTP/1.1 request sent `Expect: 100-continue`.
    public private(set) var expectsContinue = false
    /// Bytes parsed, through the final CRLF.
    public private(set) var headLength = 0

    /// Creates a reusable head with room for a typical number of fields.
    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
        self.headers.reserveCapacity(min(limits.maxHeaderCount, 32))
    }

    /// Parses a request head; `head` holds exactly the request head, from the first byte through the final
    /// CRLFCRLF. On error the properties are unspecified and the status to answer is `error.status`.
    public func parse(_ head: UnsafeRawBufferPointer) throws(HTTPParseError) {
        // Move the array out so appends do not trigger exclusivity checks or a copy, and move it back after.
        var fields: [HeaderField] = []
        swap(&fields, &self.headers)
        defer { swap(&fields, &self.headers) }
        fields.removeAll(keepingCapacity: true)
        self.reset()

        let line = try StartLine.parseRequestLine(head, maxLength: self.limits.maxRequestLine)
        let target = try StartLine.classifyTarget(head, method: line.method, target: line.target)
        var summary = FieldSummary(isRequest: true)
        self.headLength = try HeaderFieldParser.parse(
            head, from: line.lineEnd + 2, limits: self.limits, into: &fields, summary: &summary)
        let options = summary.hasConnection ? try ConnectionOptions.apply(to: &fields, in: head) : ConnectionOptions()

        self.method = line.method
        self.target = line.target
        self.versionMinor = line.versionMinor
        self.targetForm = target.form
        self.path = target.path
        self.isHEAD = head.equalsASCII(line.method, "HEAD")
        try self.applySemantics(summary, options, authority: target.authority)
    }

    /// Applies the cross-field rules: Host presence, body framing, persistence, upgrade and expectation.
    private func applySemantics(
        _ summary: FieldSummary, _ options: ConnectionOptions, authority: ByteSpan?
    ) throws(HTTPParseError) {
        let http11 = self.versionMinor == 1
        guard summary.host != nil || !http11 else { throw .badRequest(.missingHost) }
        self.host = authority ?? summary.host
        if summary.codings.isPresent {
            // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means the framing is faulty.
            guard http11 else { throw .badRequest(.transferEncodingInHTTP10) }
            guard summary.contentLength == nil else { throw .badRequest(.contentLengthWithTransferEncoding) }
            try summary.codings.requireChunkedOnly()
            self.framing = .chunked
        } else if let length = summary.contentLength {
            self.framing = .contentLength(length)
        }
        self.wantsClose = options.close || (!http11 && !options.keepAlive)
        // RFC 9110 §7.8: a server MUST ignore Upgrade in an HTTP/1.0 request.
        self.upgrade = options.upgrade && http11 ? summary.upgrade : nil
        // RFC 9110 §10.1.1: a server MUST ignore 100-continue in an HTTP/1.0 request.
        self.expectsContinue = summary.expectsContinue && http11
    }

    /// Clears every parsed value except `headers`, which `parse` empties itself.
    private func reset() {
        self.method = .empty
        self.target = .empty
        self.targetForm = .origin
        self.path = .empty
        self.versionMinor = 1
        self.host = nil
        self.framing = .none
        self.wantsClose = false
        self.upgrade = nil
        self.isHEAD = false
        self.expectsContinue = false
        self.headLength = 0
    }
}
