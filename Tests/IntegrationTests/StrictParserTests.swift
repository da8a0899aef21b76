import Foundation
import Testing
import TestSupport

/// The strict RFC 9112 request parser, seen through TLS: ambiguous or malformed requests get the
/// documented status and never reach the upstream (README, routing).
@Suite struct StrictParserTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let request: String
        let statuses: Set<Int>
        var testDescription: String { self.name }
    }

    static let host = "Host: strict.test\r\n"
    static let cases: [Case] = [
        Case(name: "Content-Length with Transfer-Encoding",
            request: "POST /upload HTTP/1.1\r\n\(host)Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", statuses: [400]),
        Case(name: "two different Content-Length",
            request: "POST /upload HTTP/1.1\r\n\(host)Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", statuses: [400]),
        Case(name: "duplicate equal Content-Length",
            request: "POST /upload HTTP/1.1\r\n\(host)Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", statuses: [400]),
        Case(name: "invalid Content-Length",
            request: "POST /upload HTTP/1.1\r\n\(host)Content-Length: 5x\r\n\r\nhello", statuses: [400]),
        Case(name: "bad chunk size",
            request: "POST /upload HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", statuses: [400]),
        Case(name: "chunked not the final coding",
            request: "POST /upload HTTP/1.1\r\n\(host)Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", statuses: [400, 501]),
        Case(name: "obs-fold",
            request: "GET /name HTTP/1.1\r\n\(host)X-Folded: first\r\n  second\r\n\r\n", statuses: [400]),
        Case(name: "whitespace before colon",
            request: "GET /name HTTP/1.1\r\n\(host)X-Space : v\r\n\r\n", statuses: [400]),
        Case(name: "invalid token character in a field name",
            request: "GET /name HTTP/1.1\r\n\(host)X(Bad): v\r\n\r\n", statuses: [400]),
        Case(name: "bare CR in a field value",
            request: "GET /name HTTP/1.1\r\n\(host)X-CR: a\rb\r\n\r\n", statuses: [400]),
        Case(name: "missing Host", request: "GET /name HTTP/1.1\r\nX-A: b\r\n\r\n", statuses: [400]),
        Case(name: "two Host fields", request: "GET /name HTTP/1.1\r\n\(host)\(host)\r\n", statuses: [400]),
        Case(name: "oversize header",
            request: "GET /name HTTP/1.1\r\n\(host)X-Big: \(String(repeating: "a", count: 6000))\r\n\r\n", statuses: [431]),
        Case(name: "too many header fields",
            request: "GET /name HTTP/1.1\r\n\(host)" + (0..<40).map { "X-H\($0): v\r\n" }.joined() + "\r\n", statuses: [431]),
        Case(name: "request line too long",
            request: "GET /\(String(repeating: "p", count: 3000)) HTTP/1.1\r\n\(host)\r\n", statuses: [414]),
    ]

    @Test func everyRejection() async throws {
        let upstream = try TestUpstream(name: "app")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(
                server: ["max_header_bytes": "4096", "max_header_count": "30", "max_request_line": "1024"],
                sites: [.proxy(["strict.test"], to: [upstream.address])]))
        defer { proxy.kill() }

        for item in Self.cases {
            let response = try await TLSProbe.exchange(port: proxy.httpsPort, serverName: "strict.test", send: item.request)
            #expect(item.statuses.contains(response.status), "\(item.name): got \(response.status) \(response.bodyText)")
            #expect(response.body.count < 1024, "\(item.name): error bodies are short")
        }
        // Only the bad-chunk request may have had its head forwarded before the body turned out bad.
        let reached = upstream.requests
        #expect(reached.count <= 1, "rejected requests reached the upstream: \(reached.map(\.headers))")

        // A well-formed request on a fresh connection still works afterwards.
        let ok = try await TLSProbe.exchange(port: proxy.httpsPort, serverName: "strict.test", send: "GET /name HTTP/1.1\r\n\(Self.host)\r\n")
        #expect(ok.status == 200 && ok.bodyText == "app")
    }

    @Test func framingErrorClosesTheConnection() async throws {
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.respond(["strict.test"], "hi\n")]))
        defer { proxy.kill() }
        let session = try TLSSession(port: proxy.httpsPort, serverName: "strict.test")
        defer { session.close() }
        // A smuggling attempt: whatever follows the ambiguous head must never be read as a request.
        try session.send("POST / HTTP/1.1\r\n\(Self.host)Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\n\(Self.host)\r\n")
        let response = try await session.readResponse()
        #expect(response.status == 400)
        try await session.waitForClose(within: 10)
        #expect(HTTPResponse.parse(session.received, atEOF: true).map { $0.1 } == session.received.count,
            "exactly one response, nothing for the smuggled request")
    }
}
