import Foundation
import Testing
import TestSupport

/// Out of file descriptors (EMFILE), the listener pauses briefly instead of calling accept() in a
/// busy loop, logs once per episode, and serves again once descriptors are free. At start the proxy
/// warns that the hard limit is below what max_connections needs.
@Suite struct AcceptFileLimitTests {
    @Test func exhaustedDescriptorsPauseAcceptingWithoutSpinning() async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(server: ["workers": "1", "max_connections": "1000"], sites: [.respond(["fd.test"], "ok\n")]),
            openFileLimit: 64)
        defer { proxy.kill() }
        try await proxy.waitForLog("open-file limit is below what max_connections needs")

        // Far more connections than 64 descriptors: the rest wait in the kernel's accept queue.
        var held: [PlainConnection] = []
        for _ in 0..<100 { held.append(try PlainConnection(port: proxy.httpPort)) }
        try await proxy.waitForLog("too many open files")

        // A measurement window, not a wait for an event: a spinning accept loop burns a core (0.3 s of
        // CPU per second even on a machine at load 26); pausing between attempts uses next to none.
        let before = try proxy.cpuSeconds()
        try await Task.sleep(for: .seconds(1))
        let used = try proxy.cpuSeconds() - before
        #expect(used < 0.1, "the proxy used \(used) s of CPU in 1 s while out of descriptors")
        #expect(proxy.logs.components(separatedBy: "too many open files").count == 2, "logged once per episode")

        held.removeAll()
        try await eventually(within: 10, "service after descriptors are free") {
            let connection = try PlainConnection(port: proxy.httpPort)
            connection.send("GET / HTTP/1.1\r\nHost: fd.test\r\n\r\n")
            return (try? await connection.readResponse(within: 2).status) == 301
        }
        try await proxy.waitForLog("accepting connections again")
    }
}
