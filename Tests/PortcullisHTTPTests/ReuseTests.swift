import Testing

@testable import PortcullisHTTP

@Suite("Storage reuse")
struct ReuseTests {
    private static let requests = [
        request("GET / HTTP/1.1", "A: 1", "B: 2", "C: 3", "D: 4", "E: 5", "F: 6", "G: 7", "H: 8"),
        request("POST /x HTTP/1.1", "Content-Length: 3"),
        request("GET /y HTTP/1.1", "Connection: X-A", "X-A: 1"),
    ]

    @Test func requestHeadKeepsItsFieldStorage() {
        let head = RequestHead(limits: HTTPLimits())
        let buffers = Self.requests.map { Array($0.utf8) }
        #expect(withBytes(buffers[0]) { raw throws(HTTPParseError) in try head.parse(raw) } == nil)
        let capacity = head.headers.capacity
        for round in 0..<50 {
            let bytes = buffers[round % buffers.count]
            #expect(withBytes(bytes) { raw throws(HTTPParseError) in try head.parse(raw) } == nil)
            #expect(head.headers.capacity == capacity)
        }
        // A failed parse keeps the storage too.
        _ = withBytes(Array("GET / HTTP/1.1\r\nBad : 1\r\n\r\n".utf8)) { raw throws(HTTPParseError) in
            try head.parse(raw)
        }
        #expect(head.headers.capacity == capacity)
    }

    @Test func fieldsGrowOnceForALargeHead() {
        let head = RequestHead(limits: HTTPLimits())
        let many = (0..<60).map { "X-\($0): v" }
        let bytes = Array(request("GET / HTTP/1.1", many.joined(separator: "\r\n")).utf8)
        #expect(withBytes(bytes) { raw throws(HTTPParseError) in try head.parse(raw) } == nil)
        let capacity = head.headers.capacity
        #expect(head.headers.count == 61)
        for _ in 0..<10 {
            _ = withBytes(bytes) { raw throws(HTTPParseError) in try head.parse(raw) }
            #expect(head.headers.capacity == capacity)
        }
    }

    @Test func responseHeadKeepsItsFieldStorageAndResets() {
        let head = ResponseHead(limits: HTTPLimits())
        let ok = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A: 1\r\n\r\n".utf8)
        let bad = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A : 1\r\n\r\n".utf8)
        #expect(withBytes(ok) { raw throws(HTTPParseError) in try head.parse(raw) } == nil)
        let capacity = head.headers.capacity
        #expect(withBytes(bad) { raw throws(HTTPParseError) in try head.parse(raw) } == .badGateway)
        #expect(head.underlyingError == .badRequest(.whitespaceBeforeColon))
        #expect(withBytes(ok) { raw throws(HTTPParseError) in try head.parse(raw) } == nil)
        #expect(head.underlyingError == nil)
        #expect(head.status == 200)
        #expect(head.headers.capacity == capacity)
    }
}
