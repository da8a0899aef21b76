import Testing

@testable import PortcullisHTTP

/// One request head that must be rejected, with the error it must get.
struct RejectCase: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    let error: HTTPParseError
    var limits = HTTPLimits()

    var testDescription: String { self.name }
}

private func bad(_ name: String, _ text: String, _ reason: BadRequestReason) -> RejectCase {
    RejectCase(name: name, text: text, error: .badRequest(reason))
}

private let longTarget = "/" + String(repeating: "a", count: 8192)

/// Every rule of the request line, with its status and reason.
let requestLineRejections: [RejectCase] = [
    bad("HTTP/0.9 line", "GET /\r\nHost: a\r\n\r\n", .malformedRequestLine),
    bad("double SP before target", request("GET  / HTTP/1.1"), .malformedRequestLine),
    bad("double SP before version", request("GET /  HTTP/1.1"), .malformedRequestLine),
    bad("trailing SP", request("GET / HTTP/1.1 "), .malformedRequestLine),
    bad("lowercase HTTP name", request("GET / http/1.1"), .malformedRequestLine),
    bad("leading empty line", "\r\n" + request(), .malformedRequestLine),
    bad("no target", request("GET HTTP/1.1"), .malformedRequestLine),
    bad("tab separator", request("GET\t/ HTTP/1.1"), .invalidMethod),
    bad("leading SP", request(" GET / HTTP/1.1"), .invalidMethod),
    bad("method with (", request("GE(T / HTTP/1.1"), .invalidMethod),
    bad("DEL in target", request("GET /a\u{7F}b HTTP/1.1"), .invalidTarget),
    bad("control byte in target", request("GET /a\u{01}b HTTP/1.1"), .invalidTarget),
    bad("non-ASCII target", request("GET /caf\u{E9} HTTP/1.1"), .invalidTarget),
    bad("fragment in target", request("GET /a#b HTTP/1.1"), .invalidTarget),
    bad("asterisk with GET", request("GET * HTTP/1.1"), .invalidTarget),
    bad("authority-form with GET", request("GET example.com:443 HTTP/1.1"), .invalidTarget),
    bad("relative target", request("GET a/b HTTP/1.1"), .invalidTarget),
    bad("ftp absolute-form", request("GET ftp://example.com/ HTTP/1.1"), .invalidTarget),
    bad("empty authority", request("GET http:///x HTTP/1.1"), .invalidTarget),
    bad("userinfo", request("GET http://user@example.com/ HTTP/1.1"), .invalidTarget),
    bad("HTTP/2.0", request("GET / HTTP/2.0"), .unsupportedVersion),
    bad("HTTP/1.2", request("GET / HTTP/1.2"), .unsupportedVersion),
    bad("HTTP/0.9 version", request("GET / HTTP/0.9"), .unsupportedVersion),
    bad("bare LF after request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", .bareCRorLF),
    bad("bare CR in request line", "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", .bareCRorLF),
    RejectCase(name: "CONNECT", text: request("CONNECT example.com:443 HTTP/1.1"), error: .notImplemented),
    RejectCase(name: "request line too long", text: request("GET \(longTarget) HTTP/1.1"), error: .uriTooLong),
    RejectCase(
        name: "no CRLF within the line limit",
        text: "GET /aaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\n\r\n",
        error: .uriTooLong,
        limits: HTTPLimits(maxRequestLine: 16)
    ),
]

/// Every rule of the field section and of framing, with its status and reason.
let fieldRejections: [RejectCase] = [
    bad("obs-fold with SP", request("GET / HTTP/1.1", "X-A: 1", "  continued"), .obsFold),
    bad("obs-fold with HTAB", request("GET / HTTP/1.1", "X-A: 1", "\tcontinued"), .obsFold),
    bad("whitespace before colon", request("GET / HTTP/1.1", "X-A : 1"), .whitespaceBeforeColon),
    bad("tab before colon", request("GET / HTTP/1.1", "X-A\t: 1"), .whitespaceBeforeColon),
    bad("name with (", request("GET / HTTP/1.1", "X(A: 1"), .invalidFieldName),
    bad("empty name", request("GET / HTTP/1.1", ": 1"), .invalidFieldName),
    bad("no colon", request("GET / HTTP/1.1", "X-A"), .invalidFieldName),
    bad("non-ASCII name", request("GET / HTTP/1.1", "X-\u{E9}: 1"), .invalidFieldName),
    bad("NUL in value", request("GET / HTTP/1.1", "X-A: a\u{0}b"), .invalidFieldValue),
    bad("DEL in value", request("GET / HTTP/1.1", "X-A: a\u{7F}"), .invalidFieldValue),
    bad("control byte in value", request("GET / HTTP/1.1", "X-A: \u{1B}[0m"), .invalidFieldValue),
    bad("bare CR in value", request("GET / HTTP/1.1", "X-A: a\rb"), .bareCRorLF),
    bad("bare LF in value", request("GET / HTTP/1.1", "X-A: a\nX-B: b"), .bareCRorLF),
    bad("bare LF ending the head", "GET / HTTP/1.1\r\nHost: a\r\n\n", .bareCRorLF),
    bad("missing Host", requestWithout("GET / HTTP/1.1", "X-A: 1"), .missingHost),
    bad("absolute-form without Host", requestWithout("GET http://a/ HTTP/1.1"), .missingHost),
    bad("duplicate Host", request("GET / HTTP/1.1", "host: example.com"), .duplicateHost),
    bad("Host with space", requestWithout("GET / HTTP/1.1", "Host: a b"), .invalidHost),
    bad("Host with slash", requestWithout("GET / HTTP/1.1", "Host: a/b"), .invalidHost),
    bad("Host with userinfo", requestWithout("GET / HTTP/1.1", "Host: u@a"), .invalidHost),
    bad("Content-Length letters", request("POST / HTTP/1.1", "Content-Length: abc"), .invalidContentLength),
    bad("Content-Length negative", request("POST / HTTP/1.1", "Content-Length: -1"), .invalidContentLength),
    bad("Content-Length plus", request("POST / HTTP/1.1", "Content-Length: +5"), .invalidContentLength),
    bad("Content-Length empty", request("POST / HTTP/1.1", "Content-Length: "), .invalidContentLength),
    bad("Content-Length list", request("POST / HTTP/1.1", "Content-Length: 5, 5"), .invalidContentLength),
    bad("Content-Length hex", request("POST / HTTP/1.1", "Content-Length: 0x10"), .invalidContentLength),
    bad(
        "Content-Length overflow",
        request("POST / HTTP/1.1", "Content-Length: 9223372036854775808"),
        .invalidContentLength
    ),
    bad(
        "duplicate identical Content-Length",
        request("POST / HTTP/1.1", "Content-Length: 5", "Content-Length: 5"),
        .duplicateContentLength
    ),
    bad(
        "Content-Length with Transfer-Encoding",
        request("POST / HTTP/1.1", "Content-Length: 5", "Transfer-Encoding: chunked"),
        .contentLengthWithTransferEncoding
    ),
    bad("empty Transfer-Encoding", request("POST / HTTP/1.1", "Transfer-Encoding: "), .invalidTransferEncoding),
    bad(
        "chunked twice",
        request("POST / HTTP/1.1", "Transfer-Encoding: chunked, chunked"),
        .invalidTransferEncoding
    ),
    bad("coding with (", request("POST / HTTP/1.1", "Transfer-Encoding: chu(nked"), .invalidTransferEncoding),
    bad(
        "Transfer-Encoding in HTTP/1.0",
        request("POST / HTTP/1.0", "Transfer-Encoding: chunked"),
        .transferEncodingInHTTP10
    ),
    bad("Connection option with (", request("GET / HTTP/1.1", "Connection: clo(se"), .invalidConnectionOption),
    bad("no final CRLF", "GET / HTTP/1.1\r\nHost: a\r\n", .incompleteHead),
]

/// Transfer codings other than a single final chunked, and the size limits.
let codingAndLimitRejections: [RejectCase] = [
    RejectCase(
        name: "gzip, chunked",
        text: request("POST / HTTP/1.1", "Transfer-Encoding: gzip, chunked"),
        error: .notImplemented
    ),
    RejectCase(
        name: "chunked, gzip",
        text: request("POST / HTTP/1.1", "Transfer-Encoding: chunked, gzip"),
        error: .notImplemented
    ),
    RejectCase(
        name: "identity",
        text: request("POST / HTTP/1.1", "Transfer-Encoding: identity"),
        error: .notImplemented
    ),
    RejectCase(
        name: "gzip and chunked on two lines",
        text: request("POST / HTTP/1.1", "Transfer-Encoding: gzip", "Transfer-Encoding: chunked"),
        error: .notImplemented
    ),
    RejectCase(
        name: "chunked with a parameter",
        text: request("POST / HTTP/1.1", "Transfer-Encoding: chunked;q=1"),
        error: .notImplemented
    ),
    RejectCase(
        name: "too many fields",
        text: request("GET / HTTP/1.1", "A: 1", "B: 2", "C: 3"),
        error: .headerFieldsTooLarge,
        limits: HTTPLimits(maxHeaderCount: 3)
    ),
    RejectCase(
        name: "too many field bytes",
        text: request("GET / HTTP/1.1", "X-A: " + String(repeating: "v", count: 100)),
        error: .headerFieldsTooLarge,
        limits: HTTPLimits(maxHeaderBytes: 100)
    ),
]

@Suite("RequestHead rejections")
struct RequestRejectionTests {
    @Test(arguments: requestLineRejections + fieldRejections + codingAndLimitRejections)
    func rejects(_ c: RejectCase) {
        switch parseRequest(c.text, limits: c.limits) {
        case .success:
            Issue.record("accepted \(c.name)")
        case .failure(let error):
            #expect(error == c.error)
        }
    }

    @Test func statusCodes() {
        #expect(HTTPParseError.badRequest(.obsFold).status == 400)
        #expect(HTTPParseError.uriTooLong.status == 414)
        #expect(HTTPParseError.headerFieldsTooLarge.status == 431)
        #expect(HTTPParseError.notImplemented.status == 501)
        #expect(HTTPParseError.badGateway.status == 502)
        #expect(BadRequestReason.duplicateHost.message.description == "duplicate Host header")
    }
}
