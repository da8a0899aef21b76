import Foundation
import TestSupport
import Testing

/// Signals the control plane handles: SIGUSR1 reopens the access logs (logrotate's `postrotate`),
/// and a SIGHUP that arrives while draining is ignored instead of killing the process.
@Suite struct SignalHandlingTests {
    @Test func sigusr1ReopensTheAccessLogAfterRotation() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-rot-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/access.log"
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(server: ["access_log": toml(log)], listeners: [.https()], sites: [.respond(["log.test"], "hi\n")]))
        defer { proxy.kill() }
        #expect(try await Curl.https(host: "log.test", port: proxy.httpsPort, path: "/before").status == 200)
        try await eventually(within: 5, "first line in the log") { Self.read(log).contains("/before") }

        try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
        proxy.sendSignal(SIGUSR1)
        try await proxy.waitForLog("access logs reopened")
        #expect(!proxy.process.hasExited, "SIGUSR1 must not kill the proxy")
        #expect(try await Curl.https(host: "log.test", port: proxy.httpsPort, path: "/after").status == 200)
        try await eventually(within: 5, "second line in the new file") { Self.read(log).contains("/after") }
        #expect(!Self.read(log + ".1").contains("/after"), "the rotated file gets no new lines")
        #expect(Self.read(log + ".1").contains("/before"))
    }

    @Test func sighupDuringDrainIsIgnored() async throws {
        let upstream = try TestUpstream(name: "slow")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(server: ["drain_timeout": "\"20s\""], sites: [.proxy(["slow.test"], to: [upstream.address])]))
        defer { proxy.kill() }
        async let slow = Curl.https(host: "slow.test", port: proxy.httpsPort, path: "/slow?ms=6000&n=2000", within: 30)
        try await upstream.waitForRequests(1)
        proxy.sendSignal(SIGTERM)
        try await proxy.waitForLog("draining")
        proxy.sendSignal(SIGHUP)
        try await proxy.waitForLog("SIGHUP ignored")
        let response = try await slow
        #expect(response.status == 200)
        #expect(response.body == Pattern.bytes(2000), "the in-flight response completed")
        let code = try await proxy.process.waitForExit(within: 20)
        #expect(code == 0, "SIGHUP during the drain killed the process")
    }

    static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}
