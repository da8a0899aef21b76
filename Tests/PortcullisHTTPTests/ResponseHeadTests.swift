import Testing

@testable import PortcullisHTTP

/// One response head and the framing it must get.
struct FramingCase: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    var requestWasHEAD = false
    let framing: BodyFraming
    var wantsClose = false
    var hasUpgrade = false

    var testDescription: String { self.name }
}

private func response(_ line: String, _ fields: String...) -> String {
    ([line] + fields).joined(separator: "\r\n") + "\r\n\r\n"
}

let responseFramings: [FramingCase] = [
    FramingCase(
        name: "Content-Length",
        text: response("HTTP/1.1 200 OK", "Content-Length: 5"),
        framing: .contentLength(5)
    ),
    FramingCase(
        name: "chunked",
        text: response("HTTP/1.1 200 OK", "Transfer-Encoding: chunked"),
        framing: .chunked
    ),
    FramingCase(name: "until close", text: response("HTTP/1.1 200 OK"), framing: .untilClose),
    FramingCase(
        name: "HEAD",
        text: response("HTTP/1.1 200 OK", "Content-Length: 5"),
        requestWasHEAD: true,
        framing: .none
    ),
    FramingCase(
        name: "HEAD with chunked",
        text: response("HTTP/1.1 200 OK", "Transfer-Encoding: chunked"),
        requestWasHEAD: true,
        framing: .none
    ),
    FramingCase(
        name: "204 with Content-Length",
        text: response("HTTP/1.1 204 No Content", "Content-Length: 0"),
        framing: .none
    ),
    FramingCase(
        name: "304 with Content-Length",
        text: response("HTTP/1.1 304 Not Modified", "Content-Length: 100"),
        framing: .none
    ),
    FramingCase(name: "100 Continue", text: response("HTTP/1.1 100 Continue"), framing: .none),
    FramingCase(name: "103 Early Hints", text: response("HTTP/1.1 103 Early Hints", "Link: </a>"), framing: .none),
    FramingCase(
        name: "101 Switching Protocols",
        text: response("HTTP/1.1 101 Switching Protocols", "Connection: Upgrade", "Upgrade: websocket"),
        framing: .none,
        hasUpgrade: true
    ),
    FramingCase(
        name: "404 with Content-Length",
        text: response("HTTP/1.1 404 Not Found", "Content-Length: 9"),
        framing: .contentLength(9)
    ),
    FramingCase(name: "HTTP/1.0", text: response("HTTP/1.0 200 OK"), framing: .untilClose, wantsClose: true),
    FramingCase(
        name: "HTTP/1.0 keep-alive",
        text: response("HTTP/1.0 200 OK", "Connection: keep-alive", "Content-Length: 2"),
        framing: .contentLength(2)
    ),
    FramingCase(
        name: "Connection: close",
        text: response("HTTP/1.1 200 OK", "Connection: close", "Content-Length: 2"),
        framing: .contentLength(2),
        wantsClose: true
    ),
    FramingCase(
        name: "no reason phrase",
        text: response("HTTP/1.1 200", "Content-Length: 1"),
        framing: .contentLength(1)
    ),
    FramingCase(
        name: "empty reason phrase",
        text: response("HTTP/1.1 200 ", "Content-Length: 1"),
        framing: .contentLength(1)
    ),
]

/// Response heads an upstream must not send; each is a 502 with the precise rule underneath.
let responseRejections: [(String, HTTPParseError)] = [
    (response("HTTP/1.1 20 OK"), .badRequest(.malformedRequestLine)),
    (response("HTTP/1.1 2000 OK"), .badRequest(.malformedRequestLine)),
    (response("HTTP/1.1 600 Custom"), .badRequest(.malformedRequestLine)),
    (response("HTTP/1.1 099 Low"), .badRequest(.malformedRequestLine)),
    (response("HTTP/1.1200 OK"), .badRequest(.malformedRequestLine)),
    (response("HTTP/1.1 200 O\u{0}K"), .badRequest(.malformedRequestLine)),
    (response("HTTP/2.0 200 OK"), .badRequest(.unsupportedVersion)),
    (response("HTTP/1.1 200 OK", "X-A: 1", " folded"), .badRequest(.obsFold)),
    (response("HTTP/1.1 200 OK", "X-A : 1"), .badRequest(.whitespaceBeforeColon)),
    ("HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", .badRequest(.bareCRorLF)),
    (response("HTTP/1.1 200 OK", "Content-Length: 1", "Content-Length: 1"), .badRequest(.duplicateContentLength)),
    (response("HTTP/1.1 200 OK", "Content-Length: x"), .badRequest(.invalidContentLength)),
    (
        response("HTTP/1.1 200 OK", "Content-Length: 1", "Transfer-Encoding: chunked"),
        .badRequest(.contentLengthWithTransferEncoding)
    ),
    (response("HTTP/1.0 200 OK", "Transfer-Encoding: chunked"), .badRequest(.transferEncodingInHTTP10)),
    (response("HTTP/1.1 200 OK", "Transfer-Encoding: gzip, chunked"), .notImplemented),
    ("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n", .badRequest(.incompleteHead)),
]

/// A rejected response head, named after its escaped first line and the rule it breaks.
struct ResponseRejectCase: Sendable, CustomTestStringConvertible {
    let text: String
    let underlying: HTTPParseError

    var testDescription: String {
        let escaped = self.text.unicodeScalars.map { $0.escaped(asASCII: true) }.joined()
        return "\(escaped.prefix(48)) -> \(self.underlying)"
    }
}

@Suite("ResponseHead")
struct ResponseHeadTests {
    @Test(arguments: responseFramings)
    func framing(_ c: FramingCase) {
        let (parsed, error) = parseResponse(c.text)
        #expect(error == nil)
        #expect(parsed.head.framing(requestWasHEAD: c.requestWasHEAD) == c.framing)
        #expect(parsed.head.wantsClose == c.wantsClose)
        #expect(parsed.head.hasUpgrade == c.hasUpgrade)
        #expect(parsed.head.headLength == parsed.bytes.count)
    }

    @Test func statusLineParts() {
        let (parsed, error) = parseResponse(response("HTTP/1.0 418 I'm a teapot", "Content-Length: 0"))
        #expect(error == nil)
        #expect(parsed.head.status == 418)
        #expect(parsed.head.versionMinor == 0)
        #expect(parsed.text(parsed.head.reason) == "I'm a teapot")
        #expect(parsed.head.headers.count == 1)
    }

    @Test(arguments: responseRejections.map(ResponseRejectCase.init))
    func rejects(_ c: ResponseRejectCase) {
        let (parsed, error) = parseResponse(c.text)
        #expect(error == .badGateway)
        #expect(parsed.head.underlyingError == c.underlying)
        #expect(parsed.head.status == 0 && parsed.head.headLength == 0)
    }

    @Test func hostFieldsAreNotCheckedInResponses() {
        let (_, error) = parseResponse(response("HTTP/1.1 200 OK", "Host: a b", "Host: c", "Content-Length: 0"))
        #expect(error == nil)
    }
}
