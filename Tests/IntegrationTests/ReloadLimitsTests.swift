import Foundation
import Testing
import TestSupport

/// SIGHUP applies the connection cap and the parser limits to a running worker: a worker paused at
/// `max_connections` resumes when a reload raises it, and a smaller `max_header_bytes` gives 431.
@Suite struct ReloadLimitsTests {
    static func spec(maxConnections: Int, maxHeaderBytes: Int = 32768) -> ProxyConfigSpec {
        ProxyConfigSpec(
            server: ["workers": "1", "max_connections": "\(maxConnections)", "max_header_bytes": "\(maxHeaderBytes)"],
            sites: [.respond(["cap.test"], "ok\n")])
    }

    @Test func pausedWorkerResumesWhenReloadRaisesTheCap() async throws {
        let proxy = try await ProxyUnderTest.start(Self.spec(maxConnections: 2))
        defer { proxy.kill() }
        let request = "GET / HTTP/1.1\r\nHost: cap.test\r\n\r\n"
        // Two connections reach the cap (each is answered, so each was accepted and counted).
        var held: [PlainConnection] = []
        for _ in 0..<2 {
            let connection = try PlainConnection(port: proxy.httpPort)
            connection.send(request)
            #expect(try await connection.readResponse().status == 301)
            held.append(connection)
        }
        // A third one waits in the kernel's backlog: the worker stopped accepting.
        let waiting = try PlainConnection(port: proxy.httpPort)
        waiting.send(request)
        #expect(waiting.nothingUnread, "the worker is paused at max_connections = 2")

        try proxy.writeConfig(Self.spec(maxConnections: 50))
        proxy.sendSignal(SIGHUP)
        try await proxy.waitForGeneration(2)
        // The held connections stay open: only the reload can resume the worker.
        #expect(try await waiting.readResponse(within: 5).status == 301)
        let fresh = try PlainConnection(port: proxy.httpPort)
        fresh.send(request)
        #expect(try await fresh.readResponse(within: 5).status == 301)
        withExtendedLifetime(held) {}
    }

    @Test func reloadedHeaderLimitAppliesToTheParser() async throws {
        let proxy = try await ProxyUnderTest.start(Self.spec(maxConnections: 100))
        defer { proxy.kill() }
        // 3 KB of fields: within the request-line + header budget the head search uses, so only the
        // parser's own max_header_bytes can refuse it.
        let head = "GET / HTTP/1.1\r\nHost: cap.test\r\nX-Big: " + String(repeating: "a", count: 3000) + "\r\n\r\n"
        let before = try await TLSProbe.exchange(port: proxy.httpsPort, serverName: "cap.test", send: head)
        #expect(before.status == 200)

        try proxy.writeConfig(Self.spec(maxConnections: 100, maxHeaderBytes: 1000))
        proxy.sendSignal(SIGHUP)
        try await proxy.waitForGeneration(2)
        let after = try await TLSProbe.exchange(port: proxy.httpsPort, serverName: "cap.test", send: head)
        #expect(after.status == 431)
    }
}
