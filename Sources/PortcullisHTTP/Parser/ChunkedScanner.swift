/// Streaming validator of a chunked body (RFC 9112 §7.1): tells how many bytes of each buffer belong to
/// the body and when it ends, after the trailer section and its final CRLF.
///
/// The caller forwards the consumed bytes verbatim; the scanner only checks them and finds the end. It is
/// a byte-level state machine, so a body split anywhere across buffers (even one byte at a time) scans
/// the same. Errors are `.badRequest` reasons (or 431 for an oversized trailer section); a reader of an
/// upstream response maps them to 502. After an error, call `reset()` before reusing the scanner.
public struct ChunkedScanner: Sendable {
    // chunked-body    = *chunk last-chunk trailer-section CRLF
    // chunk           = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
    // chunk-size      = 1*HEXDIG
    // last-chunk      = 1*("0") [ chunk-ext ] CRLF
    // chunk-data      = 1*OCTET ; a sequence of chunk-size octets
    // chunk-ext       = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
    // trailer-section = *( field-line CRLF )
    /// Where the scanner is in the grammar above.
    enum State: UInt8, Sendable {
        case size, sizeWhitespace, chunkExtension, sizeLF, data, dataCR, dataLF
        case trailerStart, trailerName, trailerValue, trailerLF, finalLF, finished
    }

    /// Longest chunk-ext accepted on one chunk line, in bytes.
    public let maxExtensionBytes: Int
    /// Largest trailer section accepted, in bytes; larger gets 431.
    public let maxTrailerBytes: Int
    /// Whether the whole body, trailer section included, has been consumed.
    public private(set) var isFinished = false
    private(set) var state = State.size
    /// Hex digits read in the current chunk-size.
    private var digits = 0
    /// Bytes of chunk-data still to come in the current chunk (the chunk size while it is being read).
    private var remaining: UInt64 = 0
    /// Bytes after the chunk-size on the current line (BWS and chunk-ext).
    private var extensionBytes = 0
    /// Bytes of the trailer section so far.
    private var trailerBytes = 0
    /// Decoded body bytes (chunk data only) seen so far: what `max_body_bytes` limits.
    public private(set) var dataBytes: Int64 = 0

    /// Whether the last chunk has been read and nothing of the trailer section yet.
    public var isAtTrailerSection: Bool { self.state == .trailerStart && self.trailerBytes == 0 }

    /// Creates a scanner at the start of a body.
    public init(maxExtensionBytes: Int = 4096, maxTrailerBytes: Int = 16384) {
        self.maxExtensionBytes = maxExtensionBytes
        self.maxTrailerBytes = maxTrailerBytes
    }

    /// Returns the scanner to the start of a body, keeping its limits.
    public mutating func reset() {
        self = ChunkedScanner(maxExtensionBytes: self.maxExtensionBytes, maxTrailerBytes: self.maxTrailerBytes)
    }

    /// Returns how many bytes of `bytes` belong to the body; once `isFinished` is true, the bytes after
    /// that count belong to the next message (and later calls consume nothing).
    /// With `stopAtTrailers`, stops where the trailer section starts (after the last chunk's line), so a
    /// forwarder can filter the trailer fields (`TrailerSection`) instead of passing them on verbatim.
    public mutating func scan(_ bytes: UnsafeRawBufferPointer, stopAtTrailers: Bool = false) throws(HTTPParseError) -> Int {
        var i = 0
        while i < bytes.count && !self.isFinished && !(stopAtTrailers && self.isAtTrailerSection) {
            if self.state == .data {
                // Chunk data is opaque: skip as much of it as this buffer holds.
                let n = Int(min(self.remaining, UInt64(bytes.count - i)))
                i += n
                self.remaining -= UInt64(n)
                self.dataBytes += Int64(n)
                if self.remaining == 0 { self.state = .dataCR }
                continue
            }
            try self.step(bytes[i])
            i += 1
        }
        return i
    }

    /// Like `scan`, but stops after the first run of chunk data, and says where that data lies in
    /// `bytes` (an empty range when none was reached): for a reader that decodes the body instead of
    /// forwarding it verbatim (an HTTP/1.0 client cannot read chunked framing).
    public mutating func scanSegment(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> (consumed: Int, data: Range<Int>) {
        var i = 0
        while i < bytes.count && !self.isFinished {
            if self.state == .data {
                let n = Int(min(self.remaining, UInt64(bytes.count - i)))
                self.remaining -= UInt64(n)
                self.dataBytes += Int64(n)
                if self.remaining == 0 { self.state = .dataCR }
                return (i + n, i..<(i + n))
            }
            try self.step(bytes[i])
            i += 1
        }
        return (i, i..<i)
    }

    /// Advances the state machine by one byte outside chunk data.
    private mutating func step(_ b: UInt8) throws(HTTPParseError) {
        switch self.state {
        case .size, .sizeWhitespace, .chunkExtension, .sizeLF:
            try self.stepChunkLine(b)
        case .dataCR:
            guard b == ASCII.cr else { throw .badRequest(.invalidChunkFraming) }
            self.state = .dataLF
        case .dataLF:
            guard b == ASCII.lf else { throw .badRequest(.invalidChunkFraming) }
            (self.state, self.digits, self.remaining, self.extensionBytes) = (.size, 0, 0, 0)
        case .trailerStart, .trailerName, .trailerValue, .trailerLF, .finalLF:
            self.trailerBytes += 1
            guard self.trailerBytes <= self.maxTrailerBytes else { throw .headerFieldsTooLarge }
            try self.stepTrailer(b)
        case .data, .finished:
            preconditionFailure("scan handles chunk data and the end of the body")
        }
    }

    /// One byte of a chunk line: `chunk-size [ chunk-ext ] CRLF`.
    private mutating func stepChunkLine(_ b: UInt8) throws(HTTPParseError) {
        switch self.state {
        case .size:
            if let value = ASCII.hexValue(b) {
                // 16 hex digits fill a UInt64, so more could overflow.
                guard self.digits < 16 else { throw .badRequest(.invalidChunkSize) }
                self.remaining = self.remaining << 4 | UInt64(value)
                self.digits += 1
                return
            }
            guard self.digits > 0 else { throw .badRequest(.invalidChunkSize) }
            try self.afterSize(b)
        case .sizeWhitespace:
            try self.afterSize(b)
        case .chunkExtension:
            if b == ASCII.cr {
                self.state = .sizeLF
                return
            }
            // Extensions are skipped, not interpreted, but bare LF and control bytes are never let through.
            self.extensionBytes += 1
            guard ASCII.isFieldValueByte(b), self.extensionBytes <= self.maxExtensionBytes else {
                throw .badRequest(.invalidChunkFraming)
            }
        default:
            guard b == ASCII.lf else { throw .badRequest(.invalidChunkFraming) }
            self.state = self.remaining == 0 ? .trailerStart : .data
        }
    }

    /// The byte after a chunk-size (or after BWS): BWS, ";" starting an extension, or the CR.
    private mutating func afterSize(_ b: UInt8) throws(HTTPParseError) {
        if ASCII.isWhitespace(b) {
            // BWS counts toward the extension limit, so a run of spaces cannot stall the scanner forever.
            self.extensionBytes += 1
            guard self.extensionBytes <= self.maxExtensionBytes else { throw .badRequest(.invalidChunkFraming) }
            self.state = .sizeWhitespace
        } else if b == ASCII.semicolon {
            self.state = .chunkExtension
        } else if b == ASCII.cr && self.state == .size {
            self.state = .sizeLF
        } else if b == ASCII.lf {
            throw .badRequest(.invalidChunkFraming)
        } else {
            // Includes whitespace before the CR: BWS is only allowed before ";".
            throw .badRequest(.invalidChunkSize)
        }
    }

    // field-line = field-name ":" OWS field-value OWS
    /// One byte of the trailer section or of the final CRLF.
    private mutating func stepTrailer(_ b: UInt8) throws(HTTPParseError) {
        switch self.state {
        case .trailerStart:
            if b == ASCII.cr {
                self.state = .finalLF
            } else if ASCII.isTChar(b) {
                self.state = .trailerName
            } else {
                throw .badRequest(Self.fieldNameError(b, atStart: true))
            }
        case .trailerName:
            if b == ASCII.colon {
                self.state = .trailerValue
            } else if !ASCII.isTChar(b) {
                throw .badRequest(Self.fieldNameError(b, atStart: false))
            }
        case .trailerValue:
            if b == ASCII.cr {
                self.state = .trailerLF
            } else if !ASCII.isFieldValueByte(b) {
                throw .badRequest(b == ASCII.lf ? .bareCRorLF : .invalidFieldValue)
            }
        case .trailerLF:
            guard b == ASCII.lf else { throw .badRequest(.bareCRorLF) }
            self.state = .trailerStart
        default:
            guard b == ASCII.lf else { throw .badRequest(.bareCRorLF) }
            (self.state, self.isFinished) = (.finished, true)
        }
    }

    /// The reason for an unexpected byte in a trailer field name.
    private static func fieldNameError(_ b: UInt8, atStart: Bool) -> BadRequestReason {
        if b == ASCII.lf { return .bareCRorLF }
        if ASCII.isWhitespace(b) { return atStart ? .obsFold : .whitespaceBeforeColon }
        return .invalidFieldName
    }
}
