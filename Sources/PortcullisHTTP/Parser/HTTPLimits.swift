/// Size limits applied while parsing a message head (request line, field section, field count).
public struct HTTPLimits: Sendable {
    /// Longest request line (or status line), in bytes, without its CRLF; longer lines get 414.
    public var maxRequestLine: Int
    /// Largest field section, in bytes, from the first field line through the final CRLF; larger gets 431.
    public var maxHeaderBytes: Int
    /// Most field lines in one head; more gets 431.
    public var maxHeaderCount: Int

    /// Creates limits; the defaults match common servers (8 KiB line, 32 KiB of fields, 100 fields).
    public init(maxRequestLine: Int = 8192, maxHeaderBytes: Int = 32768, maxHeaderCount: Int = 100) {
        self.maxRequestLine = maxRequestLine
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
    }

    /// Largest complete head these limits allow: request line, its CRLF, and the field section.
    public var maxHeadBytes: Int {
        self.maxRequestLine + 2 + self.maxHeaderBytes
    }
}
