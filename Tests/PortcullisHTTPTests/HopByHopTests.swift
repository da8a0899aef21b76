import Testing

@testable import PortcullisHTTP

@Suite("Hop-by-hop fields")
struct HopByHopTests {
    @Test func alwaysHopByHopFields() throws {
        let text = request(
            "GET / HTTP/1.1",
            "Connection: keep-alive",
            "Keep-Alive: timeout=5",
            "Proxy-Connection: keep-alive",
            "TE: trailers",
            "Trailer: X-Sum",
            "Upgrade: h2c",
            "X-Kept: 1",
            "Proxy-Authorization: Basic eA=="
        )
        let parsed = try parseRequest(text).get()
        for name in ["Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Upgrade"] {
            #expect(parsed.field(name)?.isHopByHop == true, "\(name)")
        }
        for name in ["Host", "X-Kept", "Proxy-Authorization"] {
            #expect(parsed.field(name)?.isHopByHop == false, "\(name)")
        }
    }

    @Test func transferEncodingIsHopByHop() throws {
        let parsed = try parseRequest(request("POST / HTTP/1.1", "Transfer-Encoding: chunked")).get()
        #expect(parsed.field("Transfer-Encoding")?.isHopByHop == true)
    }

    @Test func fieldsNamedInConnectionAreHopByHop() throws {
        // X-Before comes before the Connection line that names it; names match in any case.
        let text = request(
            "GET / HTTP/1.1",
            "X-Before: 1",
            "Connection: x-BEFORE, X-After",
            "Connection: X-Second",
            "X-After: 2",
            "X-Second: 3",
            "X-Other: 4"
        )
        let parsed = try parseRequest(text).get()
        for name in ["X-Before", "X-After", "X-Second"] {
            #expect(parsed.field(name)?.isHopByHop == true, "\(name)")
        }
        #expect(parsed.field("X-Other")?.isHopByHop == false)
        #expect(parsed.head.wantsClose == false)
    }

    @Test func repeatedFieldsNamedInConnectionAreAllMarked() throws {
        let text = request("GET / HTTP/1.1", "Connection: X-Dup", "X-Dup: 1", "X-Dup: 2")
        let parsed = try parseRequest(text).get()
        let marked = parsed.head.headers.filter { parsed.text($0.name) == "X-Dup" }.map(\.isHopByHop)
        #expect(marked == [true, true])
    }

    @Test func framingAndRoutingFieldsCannotBeNamedAway() throws {
        let text = request("POST / HTTP/1.1", "Connection: Host, Content-Length", "Content-Length: 3")
        let parsed = try parseRequest(text).get()
        #expect(parsed.field("Host")?.isHopByHop == false)
        #expect(parsed.field("Content-Length")?.isHopByHop == false)
        #expect(parsed.head.framing == .contentLength(3))
    }

    @Test func responseFieldsNamedInConnectionAreHopByHop() {
        let (parsed, error) = parseResponse(
            "HTTP/1.1 200 OK\r\nConnection: X-Secret\r\nX-Secret: s\r\nContent-Length: 0\r\n\r\n"
        )
        #expect(error == nil)
        let secret = parsed.head.headers.first { parsed.text($0.name) == "X-Secret" }
        #expect(secret?.isHopByHop == true)
    }
}
