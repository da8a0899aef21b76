import Foundation
import Testing
import TestSupport

/// `max_connections` bounds open client connections (split across workers): beyond it new connections
/// wait in the kernel's queue, unanswered, and are served as soon as held ones close.
@Suite struct ConnectionCapTests {
    @Test func connectionsBeyondTheCapWaitUntilOthersClose() async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(server: ["workers": "1", "max_connections": "3"], sites: [.respond(["cap.test"], "ok\n")]))
        defer { proxy.kill() }
        var connections: [PlainConnection] = []
        for _ in 0..<6 {
            let connection = try PlainConnection(port: proxy.httpPort)
            connection.send("GET / HTTP/1.1\r\nHost: cap.test\r\n\r\n")
            connections.append(connection)
        }
        let firstThree = Array(connections.prefix(3)), lastThree = Array(connections.suffix(3))
        for connection in firstThree { #expect(try await connection.readResponse().status == 301) }
        #expect(lastThree.allSatisfy { $0.nothingUnread }, "only 3 connections are served at once")

        connections.removeAll()
        for connection in firstThree { Glibc.shutdown(connection.fd, Int32(SHUT_RDWR)) }
        for connection in lastThree { #expect(try await connection.readResponse(within: 5).status == 301) }
    }
}
