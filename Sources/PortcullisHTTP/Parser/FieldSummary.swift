/// What the framing and connection-management fields of a head say, gathered while its lines are parsed.
struct FieldSummary {
    /// Whether the head is a request (Host and Expect only matter there).
    let isRequest: Bool
    var host: ByteSpan?
    var contentLength: Int64?
    var codings = TransferCodings()
    var upgrade: ByteSpan?
    var expectsContinue = false
    var hasConnection = false

    /// Creates an empty summary.
    init(isRequest: Bool) {
        self.isRequest = isRequest
    }

    /// Records one field, rejecting duplicates and invalid values of the fields that frame the message.
    mutating func record(_ field: HeaderField, in head: UnsafeRawBufferPointer) throws(HTTPParseError) {
        switch field.known {
        case .host where self.isRequest:
            guard self.host == nil else { throw .badRequest(.duplicateHost) }
            try Self.validateHost(field.value, in: head)
            self.host = field.value
        case .contentLength:
            guard self.contentLength == nil else { throw .badRequest(.duplicateContentLength) }
            self.contentLength = try Self.parseContentLength(field.value, in: head)
        case .transferEncoding:
            try self.codings.add(field.value, in: head)
        case .upgrade:
            if self.upgrade == nil { self.upgrade = field.value }
        case .expect where self.isRequest:
            if head.equalsASCIICaseInsensitive(field.value, "100-continue") { self.expectsContinue = true }
        case .connection:
            self.hasConnection = true
        default:
            break
        }
    }

    // Host = uri-host [ ":" port ]   (RFC 9110 §7.2; an empty value is allowed)
    /// Rejects a Host value with bytes that cannot occur in a host and port.
    static func validateHost(_ value: ByteSpan, in head: UnsafeRawBufferPointer) throws(HTTPParseError) {
        for i in value.start..<value.end where !ASCII.isHostChar(head[i]) {
            throw .badRequest(.invalidHost)
        }
    }

    // Content-Length = 1*DIGIT   (RFC 9110 §8.6; a list, even of equal values, is rejected)
    /// Parses a Content-Length value, rejecting empty values, non-digits and values above `Int64.max`.
    static func parseContentLength(
        _ value: ByteSpan,
        in head: UnsafeRawBufferPointer
    ) throws(HTTPParseError) -> Int64 {
        guard value.count > 0 else { throw .badRequest(.invalidContentLength) }
        var result: Int64 = 0
        for i in value.start..<value.end {
            guard let digit = ASCII.digitValue(head[i]) else { throw .badRequest(.invalidContentLength) }
            let (times10, o1) = result.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(digit))
            guard !o1, !o2 else { throw .badRequest(.invalidContentLength) }
            result = sum
        }
        return result
    }
}

/// The transfer codings named by every Transfer-Encoding line of a head, in order.
struct TransferCodings {
    var isPresent = false
    var count = 0
    var chunkedCount = 0
    var hasOther = false

    // Transfer-Encoding = #transfer-coding
    // transfer-coding   = token *( OWS ";" OWS transfer-parameter )
    /// Adds the codings listed in one Transfer-Encoding value; a malformed element is a 400.
    mutating func add(_ value: ByteSpan, in head: UnsafeRawBufferPointer) throws(HTTPParseError) {
        self.isPresent = true
        for element in ListElements(value, in: head) {
            var i = element.start
            while i < element.end && ASCII.isTChar(head[i]) { i += 1 }
            guard i > element.start else { throw .badRequest(.invalidTransferEncoding) }
            if i < element.end {
                // Parameters follow: only OWS then ";" may come after the token.
                var j = i
                while j < element.end && ASCII.isWhitespace(head[j]) { j += 1 }
                guard j < element.end, head[j] == ASCII.semicolon else { throw .badRequest(.invalidTransferEncoding) }
                self.hasOther = true
            } else if head.equalsASCIICaseInsensitive(element, "chunked") {
                self.chunkedCount += 1
            } else {
                self.hasOther = true
            }
            self.count += 1
        }
    }

    /// Checks that the codings are exactly one `chunked`: none or a repeated `chunked` is a 400,
    /// any other coding (before or after it) is a 501.
    func requireChunkedOnly() throws(HTTPParseError) {
        guard self.count > 0, self.chunkedCount <= 1 else { throw .badRequest(.invalidTransferEncoding) }
        guard !self.hasOther else { throw .notImplemented }
    }
}

/// The options of every Connection header of a head (RFC 9110 §7.6.1).
struct ConnectionOptions {
    var close = false
    var keepAlive = false
    var upgrade = false

    // Connection        = #connection-option
    // connection-option = token
    /// Reads every Connection header in `fields`, and marks each field it names as hop-by-hop
    /// (except Host and Content-Length, which a peer must not be able to strip from the message).
    static func apply(
        to fields: inout [HeaderField],
        in head: UnsafeRawBufferPointer
    ) throws(HTTPParseError) -> ConnectionOptions {
        var options = ConnectionOptions()
        for index in fields.indices where fields[index].known == .connection {
            for option in ListElements(fields[index].value, in: head) {
                for i in option.start..<option.end where !ASCII.isTChar(head[i]) {
                    throw .badRequest(.invalidConnectionOption)
                }
                if head.equalsASCIICaseInsensitive(option, "close") {
                    options.close = true
                } else if head.equalsASCIICaseInsensitive(option, "keep-alive") {
                    options.keepAlive = true
                } else if head.equalsASCIICaseInsensitive(option, "upgrade") {
                    options.upgrade = true
                }
                Self.markNamed(option, in: &fields, head: head)
            }
        }
        return options
    }

    /// Marks the fields named `option` as hop-by-hop.
    static func markNamed(_ option: ByteSpan, in fields: inout [HeaderField], head: UnsafeRawBufferPointer) {
        for index in fields.indices where !fields[index].isHopByHop {
            let known = fields[index].known
            // Host and Content-Length route and frame the message: a peer must not be able to drop them.
            guard known != .host, known != .contentLength else { continue }
            if head.equalsASCIICaseInsensitive(fields[index].name, option) {
                fields[index].isHopByHop = true
            }
        }
    }
}
