/// A parsed HTTP/1.1 request head (RFC 9112 §3, §5, §6), reused from one request to the next.
///
/// Every value is a `ByteSpan` into the buffer given to `parse`, which must stay alive and unchanged while
/// they are read. Parsing allocates nothing once `headers` has grown to the largest head seen.
public final class RequestHead {
    /// Everything a parse produces besides the fields, kept in one stored property so that a parse writes
    /// the object once (each access to a class property costs a dynamic exclusivity check).
    struct Values {
        var method = ByteSpan.empty
        var target = ByteSpan.empty
        var targetForm = RequestTargetForm.origin
        var path = ByteSpan.empty
        var versionMinor = 1
        var host: ByteSpan?
        var framing = BodyFraming.none
        var wantsClose = false
        var upgrade: ByteSpan?
        var isHEAD = false
        var expectsContinue = false
        var headLength = 0
    }

    /// The limits enforced by `parse`.
    public let limits: HTTPLimits
    /// Every field line, in order.
    public private(set) var headers: [HeaderField] = []
    private var values = Values()

    /// The method token, case-sensitive (`GET`).
    public var method: ByteSpan { self.values.method }
    /// The request-target as sent.
    public var target: ByteSpan { self.values.target }
    /// Which form `target` has.
    public var targetForm: RequestTargetForm { self.values.targetForm }
    /// The path and query to send upstream: `target` in origin form, or what follows the authority in
    /// absolute form (empty, or starting with "?", when the client sent no path: prepend "/").
    public var path: ByteSpan { self.values.path }
    /// 1 for HTTP/1.1, 0 for HTTP/1.0.
    public var versionMinor: Int { self.values.versionMinor }
    /// The Host value (port included, as sent); for an absolute-form target, its authority instead, as
    /// RFC 9112 §3.2.2 requires. Nil only for an HTTP/1.0 request without Host.
    public var host: ByteSpan? { self.values.host }
    /// How the request body is delimited: `.none`, `.contentLength` or `.chunked`.
    public var framing: BodyFraming { self.values.framing }
    /// Whether the connection closes after this exchange: HTTP/1.0 without keep-alive, or `Connection: close`.
    public var wantsClose: Bool { self.values.wantsClose }
    /// The Upgrade value when `Connection: upgrade` is present in an HTTP/1.1 request.
    public var upgrade: ByteSpan? { self.values.upgrade }
    /// Whether the method is HEAD (its response has no body).
    public var isHEAD: Bool { self.values.isHEAD }
    /// Whether an HTTP/1.1 request sent `Expect: 100-continue`.
    public var expectsContinue: Bool { self.values.expectsContinue }
    /// Bytes parsed, through the final CRLF.
    public var headLength: Int { self.values.headLength }

    /// Creates a reusable head with room for a typical number of fields.
    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
        self.headers.reserveCapacity(min(limits.maxHeaderCount, 32))
    }

    /// Parses a request head; `head` holds exactly the request head, from the first byte through the final
    /// CRLFCRLF. On error every value is reset, and the status to answer is `error.status`.
    public func parse(_ head: UnsafeRawBufferPointer) throws(HTTPParseError) {
        // Move the array out so appends do not trigger exclusivity checks or a copy, and move it back after.
        var fields: [HeaderField] = []
        swap(&fields, &self.headers)
        defer { swap(&fields, &self.headers) }
        fields.removeAll(keepingCapacity: true)
        do {
            self.values = try Self.parse(head, limits: self.limits, into: &fields)
        } catch {
            self.values = Values()
            throw error
        }
    }

    /// Parses the request line and fields, then applies the rules that span several fields.
    private static func parse(
        _ head: UnsafeRawBufferPointer,
        limits: HTTPLimits,
        into fields: inout [HeaderField]
    ) throws(HTTPParseError) -> Values {
        let line = try StartLine.parseRequestLine(head, maxLength: limits.maxRequestLine)
        let target = try StartLine.classifyTarget(head, method: line.method, target: line.target)
        var summary = FieldSummary(isRequest: true)
        var values = Values()
        values.headLength = try HeaderFieldParser.parse(
            head,
            from: line.lineEnd + 2,
            limits: limits,
            into: &fields,
            summary: &summary
        )
        let options = summary.hasConnection ? try ConnectionOptions.apply(to: &fields, in: head) : ConnectionOptions()
        values.method = line.method
        values.target = line.target
        values.versionMinor = line.versionMinor
        values.targetForm = target.form
        values.path = target.path
        values.isHEAD = head.equalsASCII(line.method, "HEAD")
        try values.applySemantics(summary, options, authority: target.authority)
        // h2c (RFC 7540 §3.2, removed by RFC 9113) is not offered: like nginx, the request is served as
        // plain HTTP/1.1 and the Upgrade field (hop-by-hop) is not forwarded.
        if let upgrade = values.upgrade, Self.offersH2C(head, upgrade) { values.upgrade = nil }
        return values
    }

    /// Whether the comma-separated Upgrade list names the `h2c` protocol (case-insensitive).
    static func offersH2C(_ head: UnsafeRawBufferPointer, _ list: ByteSpan) -> Bool {
        var start = list.start
        let end = list.start + list.count
        while start < end {
            var stop = start
            while stop < end, head[stop] != ASCII.comma { stop += 1 }
            var first = start
            var last = stop
            while first < last, ASCII.isWhitespace(head[first]) { first += 1 }
            while last > first, ASCII.isWhitespace(head[last - 1]) { last -= 1 }
            if head.equalsASCIICaseInsensitive(ByteSpan(start: first, count: last - first), "h2c") { return true }
            start = stop + 1
        }
        return false
    }
}

extension RequestHead.Values {
    /// Applies the cross-field rules: Host presence, body framing, persistence, upgrade and expectation.
    mutating func applySemantics(
        _ summary: FieldSummary,
        _ options: ConnectionOptions,
        authority: ByteSpan?
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
}
