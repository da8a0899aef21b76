internal import CLibevent

/// Forwards the trailer section of a chunked body (RFC 9112 §7.1.2) with the same fields removed as
/// from a head: hop-by-hop fields, the forwarding and identity fields only the proxy may set
/// (`ForwardingFields`, underscore spellings included), and the framing and routing fields a trailer
/// must not carry (RFC 9110 §6.5.1: Host, Content-Length). A trailer is where a client would put an
/// `X-Forwarded-For` or `X-Client-Cert-Subject` after a header check, for backends that merge
/// trailers into the header map.
///
/// The section is taken only once it is complete in the source buffer (at most the scanner's
/// `maxTrailerBytes`, 16 KiB; more is 431), so it is filtered in one contiguous piece. Trailers are
/// rare: the copy into one chain (`evbuffer_pullup`) is not on the common path.
enum TrailerSection {
    enum Outcome { case waiting, moved(Int), failed(HTTPParseError) }

    /// Moves the whole trailer section (and the final CRLF) from `source` to `destination`, filtered;
    /// `.waiting` while it has not fully arrived. `scanner` must stand at the trailer section.
    static func move(from source: OpaquePointer, to destination: OpaquePointer, scanner: inout ChunkedScanner) -> Outcome {
        let available = evbuffer_get_length(source)
        guard available > 0 else { return .waiting }
        // The scanner fails past maxTrailerBytes, so this window always holds a verdict when it is full.
        let window = min(available, scanner.maxTrailerBytes + 2)
        guard let base = evbuffer_pullup(source, window) else { return .waiting }
        let bytes = UnsafeRawBufferPointer(start: base, count: window)
        var probe = scanner
        let used: Int
        do throws(HTTPParseError) {
            used = try probe.scan(bytes)
        } catch {
            return .failed(error)
        }
        guard probe.isFinished else { return .waiting }
        let section = UnsafeRawBufferPointer(rebasing: bytes[..<used])
        let written = self.writeKept(section, to: destination)
        evbuffer_drain(source, used)
        scanner = probe
        return .moved(written)
    }

    /// Writes each field line that may pass, then the empty line; returns the bytes written. The scanner
    /// has checked the syntax: every line ends in CRLF, names are tokens followed by `:`.
    private static func writeKept(_ section: UnsafeRawBufferPointer, to destination: OpaquePointer) -> Int {
        var written = 0
        var start = 0
        while start + 2 <= section.count {
            guard let lineEnd = self.crlf(in: section, from: start), lineEnd > start else { break }
            let colon = section[start..<lineEnd].firstIndex(of: UInt8(ascii: ":")) ?? lineEnd
            if !self.isDropped(ByteSpan(start: start, count: colon - start), in: section) {
                evbuffer_add(destination, section.baseAddress! + start, lineEnd + 2 - start)
                written += lineEnd + 2 - start
            }
            start = lineEnd + 2
        }
        evbuffer_add(destination, "\r\n", 2)
        return written + 2
    }

    /// Whether a trailer field named by `name` is removed.
    static func isDropped(_ name: ByteSpan, in bytes: UnsafeRawBufferPointer) -> Bool {
        let known = KnownHeader.classify(name, in: bytes)
        if known.isAlwaysHopByHop || known == .host || known == .contentLength { return true }
        let field = HeaderField(name: name, value: .empty, known: known, isHopByHop: false)
        return ForwardingFields.isReserved(field, in: bytes)
    }

    private static func crlf(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "\r"), bytes[index + 1] == UInt8(ascii: "\n") { return index }
            index += 1
        }
        return nil
    }
}
