import Testing

@testable import PortcullisHTTP

/// What the proxy needs from the chunked scanner beyond validation: the decoded size (for
/// `max_body_bytes`) and the data runs (to decode a body for an HTTP/1.0 client).
@Suite("ChunkedScanner decoding")
struct ChunkedDecodingTests {
    static let body = Array("5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n".utf8)

    @Test func countsDecodedBytesOnly() {
        var scanner = ChunkedScanner()
        var used = -1
        let error = withBytes(Self.body) { raw throws(HTTPParseError) in used = try scanner.scan(raw) }
        #expect(error == nil)
        #expect(used == Self.body.count)
        #expect(scanner.isFinished)
        #expect(scanner.dataBytes == 12)
    }

    /// Decoding the same body fed in pieces of every size gives the data and nothing else.
    @Test(arguments: [1, 2, 3, 7, 64])
    func segmentsYieldTheData(pieceSize: Int) {
        var scanner = ChunkedScanner()
        var decoded: [UInt8] = []
        var offset = 0
        while offset < Self.body.count, !scanner.isFinished {
            let piece = Array(Self.body[offset..<min(Self.body.count, offset + pieceSize)])
            let error = withBytes(piece) { raw throws(HTTPParseError) in
                var used = 0
                while used < raw.count, !scanner.isFinished {
                    let step = try scanner.scanSegment(UnsafeRawBufferPointer(rebasing: raw[used...]))
                    for index in step.data { decoded.append(raw[used + index]) }
                    used += step.consumed
                }
                offset += used
            }
            #expect(error == nil)
        }
        #expect(scanner.isFinished)
        #expect(offset == Self.body.count)
        #expect(String(decoding: decoded, as: UTF8.self) == "hello, world")
        #expect(scanner.dataBytes == 12)
    }
}
