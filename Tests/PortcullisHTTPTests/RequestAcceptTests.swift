import Testing

@testable import PortcullisHTTP

/// One valid request head and what parsing it must report.
struct AcceptCase: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    var method = "GET"
    var target = "/"
    var path = "/"
    var form = RequestTargetForm.origin
    var host: String? = "example.com"
    var framing = BodyFraming.none
    var versionMinor = 1
    var wantsClose = false
    var upgrade: String? = nil
    var isHEAD = false
    var expectsContinue = false

    var testDescription: String { self.name }
}

let acceptedRequests: [AcceptCase] = [
    AcceptCase(
        name: "GET with query",
        text: request("GET /search?q=a%20b&x=1 HTTP/1.1"),
        target: "/search?q=a%20b&x=1",
        path: "/search?q=a%20b&x=1"
    ),
    AcceptCase(
        name: "POST with Content-Length",
        text: request("POST /form HTTP/1.1", "Content-Length: 5"),
        method: "POST",
        target: "/form",
        path: "/form",
        framing: .contentLength(5)
    ),
    AcceptCase(
        name: "Content-Length zero with leading zeros",
        text: request("PUT /x HTTP/1.1", "content-length: 000"),
        method: "PUT",
        target: "/x",
        path: "/x",
        framing: .contentLength(0)
    ),
    AcceptCase(
        name: "largest Content-Length",
        text: request("POST / HTTP/1.1", "Content-Length: 9223372036854775807"),
        method: "POST",
        framing: .contentLength(Int64.max)
    ),
    AcceptCase(
        name: "chunked",
        text: request("POST / HTTP/1.1", "Transfer-Encoding: chunked"),
        method: "POST",
        framing: .chunked
    ),
    AcceptCase(
        name: "chunked in mixed case with OWS",
        text: request("POST / HTTP/1.1", "transfer-encoding: \t ChUnKeD \t"),
        method: "POST",
        framing: .chunked
    ),
    AcceptCase(
        name: "chunked after an empty list element",
        text: request("POST / HTTP/1.1", "Transfer-Encoding: , chunked"),
        method: "POST",
        framing: .chunked
    ),
    AcceptCase(
        name: "HTTP/1.0 keep-alive",
        text: request("GET / HTTP/1.0", "Connection: Keep-Alive"),
        versionMinor: 0
    ),
    AcceptCase(
        name: "HTTP/1.0 without Host",
        text: requestWithout("GET / HTTP/1.0"),
        host: nil,
        versionMinor: 0,
        wantsClose: true
    ),
    AcceptCase(
        name: "HTTP/1.0 ignores Upgrade and Expect",
        text: request("GET / HTTP/1.0", "Connection: upgrade", "Upgrade: websocket", "Expect: 100-continue"),
        versionMinor: 0,
        wantsClose: true
    ),
    AcceptCase(name: "Connection: close", text: request("GET / HTTP/1.1", "Connection: close"), wantsClose: true),
    AcceptCase(
        name: "close wins over keep-alive",
        text: request("GET / HTTP/1.1", "Connection: keep-alive, CLOSE"),
        wantsClose: true
    ),
    AcceptCase(
        name: "absolute-form",
        text: request("GET http://Other.example:8080/p?q=1 HTTP/1.1"),
        target: "http://Other.example:8080/p?q=1",
        path: "/p?q=1",
        form: .absolute,
        host: "Other.example:8080"
    ),
    AcceptCase(
        name: "absolute-form https without path",
        text: request("GET HTTPS://example.org HTTP/1.1"),
        target: "HTTPS://example.org",
        path: "",
        form: .absolute,
        host: "example.org"
    ),
    AcceptCase(
        name: "OPTIONS *",
        text: request("OPTIONS * HTTP/1.1"),
        method: "OPTIONS",
        target: "*",
        path: "*",
        form: .asterisk
    ),
    AcceptCase(name: "HEAD", text: request("HEAD /i HTTP/1.1"), method: "HEAD", target: "/i", path: "/i", isHEAD: true),
    AcceptCase(name: "unknown method", text: request("PURGE /c HTTP/1.1"), method: "PURGE", target: "/c", path: "/c"),
    AcceptCase(
        name: "Expect: 100-continue",
        text: request("POST / HTTP/1.1", "Expect: 100-Continue", "Content-Length: 1"),
        method: "POST",
        framing: .contentLength(1),
        expectsContinue: true
    ),
    AcceptCase(
        name: "WebSocket upgrade",
        text: request("GET /ws HTTP/1.1", "Connection: keep-alive, Upgrade", "Upgrade: websocket"),
        target: "/ws",
        path: "/ws",
        upgrade: "websocket"
    ),
    AcceptCase(
        name: "Upgrade without Connection: upgrade",
        text: request("GET / HTTP/1.1", "Upgrade: websocket")
    ),
    // h2c is not offered (nginx ignores it too): the request is served as HTTP/1.1.
    AcceptCase(
        name: "h2c upgrade ignored",
        text: request("GET / HTTP/1.1", "Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAAQAAP__")
    ),
    AcceptCase(
        name: "h2c among other upgrade tokens ignored",
        text: request("GET / HTTP/1.1", "Connection: upgrade", "Upgrade: websocket , H2C")
    ),
]

@Suite("RequestHead accepted requests")
struct RequestAcceptTests {
    @Test(arguments: acceptedRequests)
    func accepts(_ c: AcceptCase) throws {
        let parsed = try parseRequest(c.text).get()
        let head = parsed.head
        #expect(parsed.text(head.method) == c.method)
        #expect(parsed.text(head.target) == c.target)
        #expect(parsed.text(head.path) == c.path)
        #expect(head.targetForm == c.form)
        #expect(parsed.text(head.host) == c.host)
        #expect(head.framing == c.framing)
        #expect(head.versionMinor == c.versionMinor)
        #expect(head.wantsClose == c.wantsClose)
        #expect(parsed.text(head.upgrade) == c.upgrade)
        #expect(head.isHEAD == c.isHEAD)
        #expect(head.expectsContinue == c.expectsContinue)
        #expect(head.headLength == parsed.bytes.count)
    }

    @Test func fieldValuesAreTrimmedAndMayHoldObsText() throws {
        let text = request("GET / HTTP/1.1", "X-Trim: \t a \t b \t", "X-Empty:", "X-Text: caf\u{E9}", "X-Blank:   ")
        let parsed = try parseRequest(text).get()
        #expect(parsed.head.headers.count == 5)
        #expect(parsed.text(parsed.field("x-trim")?.value) == "a \t b")
        #expect(parsed.field("X-Empty")?.value.count == 0)
        #expect(parsed.text(parsed.field("X-Text")?.value) == "caf\u{E9}")
        #expect(parsed.field("X-Blank")?.value.count == 0)
        #expect(parsed.field("host")?.known == .host)
    }

    @Test func limitsAreInclusive() throws {
        let limits = HTTPLimits(maxRequestLine: 14, maxHeaderBytes: 41, maxHeaderCount: 2)
        // "GET / HTTP/1.1" is 14 bytes; the fields are 19 + 20 + 2 = 41 bytes.
        let text = request("GET / HTTP/1.1", "X-Twelve: abcdefgh")
        let parsed = try parseRequest(text, limits: limits).get()
        #expect(parsed.head.headers.count == 2)
        #expect(parsed.head.headLength == limits.maxHeadBytes)
    }

    @Test func bytesAfterTheHeadAreNotParsed() throws {
        let text = request("POST / HTTP/1.1", "Content-Length: 4")
        let parsed = try parseRequest(text + "body").get()
        #expect(parsed.head.headLength == text.utf8.count)
        #expect(parsed.head.framing == .contentLength(4))
    }

    @Test func knownHeadersAreRecognisedInAnyCase() throws {
        let names: [(String, KnownHeader)] = [
            ("TE", .te), ("Trailer", .trailer), ("Keep-Alive", .keepAlive), ("Proxy-Connection", .proxyConnection),
            ("Proxy-Authenticate", .proxyAuthenticate), ("Proxy-Authorization", .proxyAuthorization),
            ("X-Forwarded-For", .xForwardedFor), ("X-FORWARDED-PROTO", .xForwardedProto),
            ("x-forwarded-host", .xForwardedHost), ("Forwarded", .forwarded), ("Expect", .expect),
            ("Strict-Transport-Security", .strictTransportSecurity), ("Upgrade", .upgrade), ("X-Other", .other),
            ("Hostx", .other), ("Content-Lengths", .other),
        ]
        let text = request("GET / HTTP/1.1", names.map { "\($0.0): v" }.joined(separator: "\r\n"))
        let parsed = try parseRequest(text).get()
        for (name, known) in names {
            #expect(parsed.field(name)?.known == known, "\(name)")
        }
        #expect(parsed.head.headers.first(.xForwardedFor).map { parsed.text($0.value) } == "v")
    }
}
