/// Finds where a message head ends in a receive buffer, and enforces the head-size limits before it does.
public enum HeadBoundary {
    /// Index just past the first CRLFCRLF in `bytes`, or nil when the head is not complete yet.
    /// - Warning: Scans from the start; a reader that calls this after every read should use `find(in:from:)`.
    public static func find(in bytes: UnsafeRawBufferPointer) -> Int? {
        self.find(in: bytes, from: 0)
    }

    /// Index just past the first CRLFCRLF, given that the first `searched` bytes were already searched
    /// without success (the previous buffer count); a CRLFCRLF split across reads is still found.
    public static func find(in bytes: UnsafeRawBufferPointer, from searched: Int) -> Int? {
        // A match ends with its LF at index i >= searched; the three bytes before it are looked back at.
        var i = max(searched, 3)
        while i < bytes.count {
            if bytes[i] == ASCII.lf && bytes[i - 1] == ASCII.cr && bytes[i - 2] == ASCII.lf
                && bytes[i - 3] == ASCII.cr
            {
                return i + 1
            }
            i += 1
        }
        return nil
    }

    /// Finds the end of a head, or throws as soon as `bytes` proves it will break `limits`:
    /// 414 when the first line has no CRLF within `maxRequestLine + 2` bytes, 431 when no head ends
    /// within `limits.maxHeadBytes`. Readers of responses map both to 502.
    public static func find(
        in bytes: UnsafeRawBufferPointer,
        from searched: Int = 0,
        limits: HTTPLimits
    ) throws(HTTPParseError) -> Int? {
        if let end = self.find(in: bytes, from: searched) {
            // A complete head may still break a limit; `parse` reports exactly which.
            return end
        }
        let lineLimit = limits.maxRequestLine + 2
        // Only the call that first reaches the line limit scans for the LF, so repeated calls stay linear.
        if bytes.count >= lineLimit && searched < lineLimit && !self.hasLF(bytes, before: lineLimit) {
            throw .uriTooLong
        }
        if bytes.count >= limits.maxHeadBytes {
            throw .headerFieldsTooLarge
        }
        return nil
    }

    /// Number of bytes of empty lines (CRLF pairs) before a request line; RFC 9112 §2.2 says a server
    /// SHOULD ignore at least one, so a reader drops them before looking for the head.
    public static func leadingEmptyLines(in bytes: UnsafeRawBufferPointer) -> Int {
        var i = 0
        while i + 1 < bytes.count && bytes[i] == ASCII.cr && bytes[i + 1] == ASCII.lf {
            i += 2
        }
        return i
    }

    /// Whether an LF occurs in the first `limit` bytes.
    private static func hasLF(_ bytes: UnsafeRawBufferPointer, before limit: Int) -> Bool {
        for i in 0..<min(limit, bytes.count) where bytes[i] == ASCII.lf {
            return true
        }
        return false
    }
}
