import Foundation
import Testing
import TestSupport

/// A refused upstream gives 502; with another upstream up, the request goes there instead (passive
/// health skips the dead one).
@Suite struct UpstreamFailureTests {
    @Test func onlyUpstreamDownGives502() async throws {
        let dead = try LoopbackSocket.refusedPort()
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.proxy(["down.test"], to: ["127.0.0.1:\(dead)"])]))
        defer { proxy.kill() }
        let response = try await Curl.https(host: "down.test", port: proxy.httpsPort, path: "/name")
        #expect(response.status == 502)
        #expect(response.body.count < 1024)
    }

    @Test func deadUpstreamIsSkipped() async throws {
        let dead = try LoopbackSocket.refusedPort()
        let live = try TestUpstream(name: "live")
        defer { live.stop() }
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(sites: [.proxy(["mixed.test"], to: ["127.0.0.1:\(dead)", live.address])]))
        defer { proxy.kill() }
        for i in 0..<4 {
            let response = try await Curl.https(host: "mixed.test", port: proxy.httpsPort, path: "/name")
            #expect(response.status == 200, "request \(i)")
            #expect(response.bodyText == "live", "request \(i)")
        }
        #expect(live.requests.count == 4)
    }
}
