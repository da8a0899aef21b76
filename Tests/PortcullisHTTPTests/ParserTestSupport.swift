@testable import PortcullisHTTP

/// A request head parsed from test text, kept with its bytes so spans can be read back as strings.
struct ParsedRequest {
    let bytes: [UInt8]
    let head: RequestHead

    /// The text of `span`, or nil.
    func text(_ span: ByteSpan?) -> String? {
        span.map { String(decoding: self.bytes[$0.start..<$0.end], as: UTF8.self) }
    }

    /// The first field named `name` (case-insensitive).
    func field(_ name: String) -> HeaderField? {
        self.head.headers.first { self.text($0.name)?.lowercased() == name.lowercased() }
    }
}

/// A response head parsed from test text.
struct ParsedResponse {
    let bytes: [UInt8]
    let head: ResponseHead

    /// The text of `span`.
    func text(_ span: ByteSpan) -> String {
        String(decoding: self.bytes[span.start..<span.end], as: UTF8.self)
    }
}

/// Runs `body` over `bytes`, returning the error it threw, or nil.
func withBytes(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(HTTPParseError) -> Void) -> HTTPParseError? {
    bytes.withUnsafeBytes { raw -> HTTPParseError? in
        do throws(HTTPParseError) {
            try body(raw)
            return nil
        } catch {
            return error
        }
    }
}

/// Parses `text` as a request head with a fresh `RequestHead`.
func parseRequest(_ text: String, limits: HTTPLimits = HTTPLimits()) -> Result<ParsedRequest, HTTPParseError> {
    let head = RequestHead(limits: limits)
    let bytes = Array(text.utf8)
    if let error = withBytes(bytes, { raw throws(HTTPParseError) in try head.parse(raw) }) {
        return .failure(error)
    }
    return .success(ParsedRequest(bytes: bytes, head: head))
}

/// Parses `text` as a response head with a fresh `ResponseHead`.
func parseResponse(_ text: String) -> (ParsedResponse, HTTPParseError?) {
    let head = ResponseHead(limits: HTTPLimits())
    let bytes = Array(text.utf8)
    let error = withBytes(bytes, { raw throws(HTTPParseError) in try head.parse(raw) })
    return (ParsedResponse(bytes: bytes, head: head), error)
}

/// A request head with `extra` field lines after `Host: example.com`.
func request(_ line: String = "GET / HTTP/1.1", _ extra: String...) -> String {
    ([line, "Host: example.com"] + extra).joined(separator: "\r\n") + "\r\n\r\n"
}

/// A request head with exactly the given field lines (no Host added).
func requestWithout(_ line: String, _ fields: String...) -> String {
    ([line] + fields).joined(separator: "\r\n") + "\r\n\r\n"
}
