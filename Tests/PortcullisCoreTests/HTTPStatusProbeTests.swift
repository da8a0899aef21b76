import Foundation
import Testing
import TestSupport

@testable import PortcullisCore

/// The asynchronous status-only GET (on-demand `ask`) against a real loopback server.
@Suite struct HTTPStatusProbeTests {
    /// Runs one probe on a private base until it completes.
    private func status(port: UInt16, target: String) -> Int?? {
        let base = EventBase()
        var result: Int??
        HTTPStatusProbe.get(base: base, host: "127.0.0.1", port: Int(port), target: target, timeout: 3) { result = $0 }
        let deadline = Date().addingTimeInterval(10)
        while result == nil, Date() < deadline { base.runOnce() }
        return result
    }

    @Test func reportsTheStatusOrNothing() throws {
        let upstream = try TestUpstream()
        defer { upstream.stop() }
        #expect(self.status(port: upstream.port, target: "/name?domain=a.test") == .some(200))
        #expect(self.status(port: upstream.port, target: "/nope") == .some(404))
        #expect(upstream.requests.map(\.target) == ["/name?domain=a.test", "/nope"])
        #expect(self.status(port: try LoopbackSocket.closedPort(), target: "/") == .some(nil), "refused: no status")
    }
}
