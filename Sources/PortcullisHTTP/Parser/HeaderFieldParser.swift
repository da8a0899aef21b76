/// Parses the field section of a message head (RFC 9112 §5) into `HeaderField`s, one line at a time.
enum HeaderFieldParser {
    // field-section = *( field-line CRLF ) CRLF
    /// Parses field lines starting at `start` through the empty line, appending to `fields` and recording
    /// framing fields in `summary`; returns the index just past the final CRLF.
    static func parse(
        _ head: UnsafeRawBufferPointer,
        from start: Int,
        limits: HTTPLimits,
        into fields: inout [HeaderField],
        summary: inout FieldSummary
    ) throws(HTTPParseError) -> Int {
        var i = start
        while true {
            guard i - start <= limits.maxHeaderBytes else { throw .headerFieldsTooLarge }
            guard i < head.count else { throw .badRequest(.incompleteHead) }
            if head[i] == ASCII.cr {
                guard i + 1 < head.count, head[i + 1] == ASCII.lf else { throw .badRequest(.bareCRorLF) }
                guard i + 2 - start <= limits.maxHeaderBytes else { throw .headerFieldsTooLarge }
                return i + 2
            }
            guard fields.count < limits.maxHeaderCount else { throw .headerFieldsTooLarge }
            let field = try self.parseLine(head, at: i, next: &i)
            try summary.record(field, in: head)
            fields.append(field)
        }
    }

    // field-line    = field-name ":" OWS field-value OWS
    // field-name    = token
    // field-value   = *field-content
    // field-content = field-vchar [ 1*( SP / HTAB / field-vchar ) field-vchar ]
    // field-vchar   = VCHAR / obs-text
    // obs-fold      = OWS CRLF RWS   ; rejected with 400 (RFC 9112 §5.2)
    /// Parses the field line at `start`; sets `next` to the start of the following line.
    static func parseLine(
        _ head: UnsafeRawBufferPointer,
        at start: Int,
        next: inout Int
    ) throws(HTTPParseError) -> HeaderField {
        let first = head[start]
        if ASCII.isWhitespace(first) { throw .badRequest(.obsFold) }
        if first == ASCII.lf { throw .badRequest(.bareCRorLF) }
        let count = head.count
        var i = start
        while i < count && ASCII.isTChar(head[i]) { i += 1 }
        guard i < count else { throw .badRequest(.incompleteHead) }
        if head[i] != ASCII.colon {
            if ASCII.isWhitespace(head[i]) { throw .badRequest(.whitespaceBeforeColon) }
            if head[i] == ASCII.lf { throw .badRequest(.bareCRorLF) }
            throw .badRequest(.invalidFieldName)
        }
        guard i > start else { throw .badRequest(.invalidFieldName) }
        let name = ByteSpan(start: start, count: i - start)
        let value = try self.parseValue(head, from: i + 1, next: &next)
        let known = KnownHeader.classify(name, in: head)
        return HeaderField(name: name, value: value, known: known, isHopByHop: known.isAlwaysHopByHop)
    }

    /// Scans a field value from just after the colon to its CRLF; returns it with OWS trimmed.
    static func parseValue(
        _ head: UnsafeRawBufferPointer,
        from start: Int,
        next: inout Int
    ) throws(HTTPParseError) -> ByteSpan {
        let count = head.count  // hoisted: the buffer's count is recomputed from its bounds on each use
        var i = start
        while i < count && ASCII.isWhitespace(head[i]) { i += 1 }
        let valueStart = i
        var valueEnd = i
        while i < count {
            let b = head[i]
            i += 1
            if b > ASCII.sp && b != 0x7F {
                // field-vchar (VCHAR or obs-text), most bytes of every value: one test and on.
                valueEnd = i
            } else if b == ASCII.cr {
                guard i < count, head[i] == ASCII.lf else { throw .badRequest(.bareCRorLF) }
                next = i + 1
                return ByteSpan(start: valueStart, count: valueEnd - valueStart)
            } else if b == ASCII.lf {
                throw .badRequest(.bareCRorLF)
            } else if !ASCII.isWhitespace(b) {
                throw .badRequest(.invalidFieldValue)
            }
        }
        throw .badRequest(.incompleteHead)
    }
}

// #element = [ element ] *( OWS "," OWS [ element ] )   (RFC 9110 §5.6.1)
/// Iterates the elements of a comma-separated list value, OWS trimmed, empty elements skipped.
struct ListElements: IteratorProtocol, Sequence {
    let bytes: UnsafeRawBufferPointer
    var index: Int
    let end: Int

    /// Iterates the list in `value` of `bytes`.
    init(_ value: ByteSpan, in bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.index = value.start
        self.end = value.end
    }

    /// The next non-empty element, or nil.
    mutating func next() -> ByteSpan? {
        while self.index < self.end {
            let b = self.bytes[self.index]
            if b == ASCII.comma || ASCII.isWhitespace(b) {
                self.index += 1
                continue
            }
            let start = self.index
            var last = start
            while self.index < self.end && self.bytes[self.index] != ASCII.comma {
                if !ASCII.isWhitespace(self.bytes[self.index]) { last = self.index }
                self.index += 1
            }
            return ByteSpan(start: start, count: last + 1 - start)
        }
        return nil
    }
}
