import Testing

@testable import PortcullisHTTP

/// A complete chunked body that must be accepted.
struct ChunkedCase: Sendable, CustomTestStringConvertible {
    let name: String
    let body: String
    var testDescription: String { self.name }
}

/// A chunked body that must be rejected, with its error.
struct BadChunkedCase: Sendable, CustomTestStringConvertible {
    let name: String
    let body: String
    let error: HTTPParseError
    var scanner = ChunkedScanner()
    var testDescription: String { self.name }
}

let validChunkedBodies: [ChunkedCase] = [
    ChunkedCase(name: "one chunk", body: "5\r\nhello\r\n0\r\n\r\n"),
    ChunkedCase(name: "empty body", body: "0\r\n\r\n"),
    ChunkedCase(name: "several chunks", body: "3\r\nabc\r\n1\r\nd\r\n2\r\nef\r\n0\r\n\r\n"),
    ChunkedCase(name: "hex sizes in both cases", body: "a\r\n0123456789\r\nB\r\n0123456789a\r\n0\r\n\r\n"),
    ChunkedCase(name: "leading zeros", body: "0005\r\nhello\r\n000\r\n\r\n"),
    ChunkedCase(name: "extensions", body: "5;name=value;flag\r\nhello\r\n0;last=\"a;b\"\r\n\r\n"),
    ChunkedCase(name: "BWS before extension", body: "5 \t;x=1\r\nhello\r\n0\r\n\r\n"),
    ChunkedCase(name: "trailers", body: "5\r\nhello\r\n0\r\nX-Sum: abc\r\nX-Empty:\r\n\r\n"),
    ChunkedCase(name: "CRLF inside chunk data", body: "4\r\n\r\n\r\n\r\n0\r\n\r\n"),
    ChunkedCase(
        name: "extension at the limit",
        body: "5;" + String(repeating: "x", count: 4096) + "\r\nhello\r\n0\r\n\r\n"
    ),
    ChunkedCase(name: "obs-text in data and trailer", body: "2\r\n\u{E9}\r\n0\r\nX-T: caf\u{E9}\r\n\r\n"),
]

let invalidChunkedBodies: [BadChunkedCase] = [
    BadChunkedCase(name: "empty size", body: "\r\nhello\r\n", error: .badRequest(.invalidChunkSize)),
    BadChunkedCase(name: "non-hex size", body: "g\r\n", error: .badRequest(.invalidChunkSize)),
    BadChunkedCase(name: "negative size", body: "-1\r\n", error: .badRequest(.invalidChunkSize)),
    BadChunkedCase(name: "0x prefix", body: "0x5\r\nhello\r\n", error: .badRequest(.invalidChunkSize)),
    BadChunkedCase(name: "17 hex digits", body: "10000000000000000\r\n", error: .badRequest(.invalidChunkSize)),
    BadChunkedCase(name: "whitespace before CRLF", body: "5 \r\nhello\r\n", error: .badRequest(.invalidChunkSize)),
    BadChunkedCase(name: "bare LF after size", body: "5\nhello\r\n", error: .badRequest(.invalidChunkFraming)),
    BadChunkedCase(name: "bare CR after size", body: "5\rhello\r\n", error: .badRequest(.invalidChunkFraming)),
    BadChunkedCase(name: "bare LF in extension", body: "5;a\nhello\r\n", error: .badRequest(.invalidChunkFraming)),
    BadChunkedCase(name: "NUL in extension", body: "5;a\u{0}\r\nhello\r\n", error: .badRequest(.invalidChunkFraming)),
    BadChunkedCase(
        name: "extension too long",
        body: "5;" + String(repeating: "x", count: 4097) + "\r\n",
        error: .badRequest(.invalidChunkFraming)
    ),
    BadChunkedCase(
        name: "endless BWS after size",
        body: "5" + String(repeating: " ", count: 4097) + ";a\r\n",
        error: .badRequest(.invalidChunkFraming)
    ),
    BadChunkedCase(name: "data longer than size", body: "5\r\nhelloX\r\n", error: .badRequest(.invalidChunkFraming)),
    BadChunkedCase(name: "bare LF after data", body: "5\r\nhello\n0\r\n\r\n", error: .badRequest(.invalidChunkFraming)),
    BadChunkedCase(
        name: "CR without LF after data",
        body: "5\r\nhello\r0\r\n",
        error: .badRequest(.invalidChunkFraming)
    ),
    BadChunkedCase(name: "bare LF ending the body", body: "0\r\n\n", error: .badRequest(.bareCRorLF)),
    BadChunkedCase(name: "CR without LF ending the body", body: "0\r\n\rX", error: .badRequest(.bareCRorLF)),
    BadChunkedCase(name: "trailer obs-fold", body: "0\r\nX: 1\r\n folded\r\n\r\n", error: .badRequest(.obsFold)),
    BadChunkedCase(
        name: "trailer space before colon",
        body: "0\r\nX : 1\r\n\r\n",
        error: .badRequest(.whitespaceBeforeColon)
    ),
    BadChunkedCase(name: "trailer bad name", body: "0\r\nX(: 1\r\n\r\n", error: .badRequest(.invalidFieldName)),
    BadChunkedCase(name: "trailer without colon", body: "0\r\nX\r\n\r\n", error: .badRequest(.invalidFieldName)),
    BadChunkedCase(name: "trailer NUL", body: "0\r\nX: \u{0}\r\n\r\n", error: .badRequest(.invalidFieldValue)),
    BadChunkedCase(name: "trailer bare LF", body: "0\r\nX: 1\n\r\n", error: .badRequest(.bareCRorLF)),
    BadChunkedCase(
        name: "trailer section too large",
        body: "0\r\nX: " + String(repeating: "v", count: 64) + "\r\n\r\n",
        error: .headerFieldsTooLarge,
        scanner: ChunkedScanner(maxTrailerBytes: 32)
    ),
]

/// Scans `bytes` in pieces of `step` bytes; returns the bytes consumed and the first error.
private func scanAll(
    _ bytes: [UInt8],
    step: Int,
    scanner: inout ChunkedScanner
) -> (consumed: Int, error: HTTPParseError?) {
    var offset = 0
    while offset < bytes.count && !scanner.isFinished {
        let end = min(offset + step, bytes.count)
        let piece = Array(bytes[offset..<end])
        var used = 0
        let error = withBytes(piece) { raw throws(HTTPParseError) in used = try scanner.scan(raw) }
        offset += used
        if let error { return (offset, error) }
        // A piece is consumed entirely unless the body ended inside it.
        #expect(used == piece.count || scanner.isFinished)
    }
    return (offset, nil)
}

@Suite("ChunkedScanner")
struct ChunkedScannerTests {
    @Test(arguments: validChunkedBodies, [1, 2, 3, 7, 1 << 20])
    func acceptsValidBodies(_ c: ChunkedCase, step: Int) {
        let next = "GET /next HTTP/1.1\r\n"
        let bytes = Array((c.body + next).utf8)
        var scanner = ChunkedScanner()
        let (consumed, error) = scanAll(bytes, step: step, scanner: &scanner)
        #expect(error == nil)
        #expect(scanner.isFinished)
        #expect(consumed == c.body.utf8.count)
    }

    @Test(arguments: invalidChunkedBodies, [1, 1 << 20])
    func rejectsInvalidBodies(_ c: BadChunkedCase, step: Int) {
        var scanner = c.scanner
        let (_, error) = scanAll(Array(c.body.utf8), step: step, scanner: &scanner)
        #expect(error == c.error)
        #expect(!scanner.isFinished)
    }

    @Test func largestChunkSizeStreams() {
        var scanner = ChunkedScanner()
        let data = Array("FFFFFFFFFFFFFFFF\r\n".utf8) + [UInt8](repeating: 0x41, count: 1000)
        let (consumed, error) = scanAll(data, step: 100, scanner: &scanner)
        #expect(error == nil)
        #expect(consumed == data.count)
        #expect(!scanner.isFinished)
    }

    @Test func scansNothingOnceFinishedAndResets() {
        var scanner = ChunkedScanner()
        let body = Array("0\r\n\r\n".utf8)
        var used = [0, 0, 0]
        _ = withBytes(body) { raw throws(HTTPParseError) in used[0] = try scanner.scan(raw) }
        _ = withBytes(body) { raw throws(HTTPParseError) in used[1] = try scanner.scan(raw) }
        #expect(used[0] == 5 && used[1] == 0 && scanner.isFinished)
        scanner.reset()
        #expect(!scanner.isFinished)
        _ = withBytes(body) { raw throws(HTTPParseError) in used[2] = try scanner.scan(raw) }
        #expect(used[2] == 5 && scanner.isFinished)
    }

    @Test func incompleteBodyIsNotFinished() {
        var scanner = ChunkedScanner()
        let (consumed, error) = scanAll(Array("5\r\nhello\r\n0\r\n".utf8), step: 4, scanner: &scanner)
        #expect(error == nil)
        #expect(consumed == 13)
        #expect(!scanner.isFinished)
    }
}
