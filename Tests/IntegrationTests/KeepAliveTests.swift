import Foundation
import Testing
import TestSupport

/// Keep-alive on both sides: several requests on one client connection travel over one upstream
/// connection, and a later client connection on the same worker reuses it from the pool.
@Suite struct KeepAliveTests {
    @Test func clientAndUpstreamConnectionsAreReused() async throws {
        let upstream = try TestUpstream(name: "app")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(server: ["workers": "1"], sites: [.proxy(["ka.test"], to: [upstream.address])]))
        defer { proxy.kill() }

        let url = "https://ka.test:\(proxy.httpsPort)/name"
        let three = try await Curl.run(
            ["--resolve", "ka.test:\(proxy.httpsPort):127.0.0.1", url, url, "-o", "/dev/null", url, "-o", "/dev/null"])
        #expect(three.transfers.map(\.status) == [200, 200, 200])
        #expect(three.transfers.map(\.newConnections) == [1, 0, 0], "one client connection for three requests")
        #expect(upstream.requests.count == 3)
        #expect(Set(upstream.requests.map(\.connectionID)).count == 1, "one upstream connection for three requests")
        #expect(upstream.connectionCount == 1)

        // A new client connection (same single worker) takes the pooled upstream connection.
        let again = try await Curl.https(host: "ka.test", port: proxy.httpsPort, path: "/name")
        #expect(again.status == 200)
        #expect(upstream.connectionCount == 1, "pooled upstream connection reused across client connections")
    }

    @Test func rawKeepAliveOverOneTLSConnection() async throws {
        let upstream = try TestUpstream(name: "app")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.proxy(["ka.test"], to: [upstream.address])]))
        defer { proxy.kill() }
        let session = try TLSSession(port: proxy.httpsPort, serverName: "ka.test")
        defer { session.close() }
        for i in 0..<3 {
            try session.send("POST /echo HTTP/1.1\r\nHost: ka.test\r\nContent-Length: 6\r\n\r\nbody-\(i)")
            let response = try await session.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == "body-\(i)")
        }
        #expect(!session.isClosed)
        #expect(Set(upstream.requests.map(\.connectionID)).count == 1)
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let upstream = try TestUpstream(name: "app")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.proxy(["ka.test"], to: [upstream.address])]))
        defer { proxy.kill() }
        let session = try TLSSession(port: proxy.httpsPort, serverName: "ka.test")
        defer { session.close() }
        let requests = (0..<3).map { "POST /echo HTTP/1.1\r\nHost: ka.test\r\nContent-Length: 3\r\n\r\nr-\($0)" }
        try session.send(requests.joined())
        for i in 0..<3 {
            let response = try await session.readResponse()
            #expect(response.bodyText == "r-\(i)")
        }
    }
}
