import Foundation
import Testing
import TestSupport

/// SIGTERM during a slow response: the listener closes at once, the in-flight response completes,
/// and the process exits 0 (CONTRACTS: SIGTERM/SIGINT).
@Suite struct GracefulDrainTests {
    @Test func inFlightResponseFinishesAfterSIGTERM() async throws {
        let upstream = try TestUpstream(name: "slow")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(server: ["drain_timeout": "\"20s\""], sites: [.proxy(["slow.test"], to: [upstream.address])]))
        defer { proxy.kill() }
        let port = proxy.httpsPort

        // Headers at once, then 4000 bytes spread over 6 seconds (long enough for a loaded machine to observe the drain).
        async let slow = Curl.https(host: "slow.test", port: port, path: "/slow?ms=6000&n=4000", within: 30)
        try await upstream.waitForRequests(1)
        proxy.sendSignal(SIGTERM)

        try await eventually(within: 2.5, "listener to refuse new connections") { !LoopbackSocket.accepts(port: port) }
        #expect(!proxy.process.hasExited, "still draining while the slow response is in flight")

        let response = try await slow
        #expect(response.status == 200)
        #expect(response.body == Pattern.bytes(4000), "the in-flight response completed")
        let code = try await proxy.process.waitForExit(within: 20)
        #expect(code == 0)
    }

    @Test func idleProxyExitsPromptlyOnSIGTERM() async throws {
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.respond(["idle.test"], "hi\n")]))
        defer { proxy.kill() }
        let warm = try await Curl.https(host: "idle.test", port: proxy.httpsPort)
        #expect(warm.status == 200)
        let code = try await proxy.stop(within: 10)
        #expect(code == 0)
    }
}
