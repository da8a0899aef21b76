import Foundation
import Testing
import TestSupport

/// SIGHUP: a valid changed config is applied (new text, new site with a new certificate, generation + 1
/// in the ready file); a broken one is logged and changes nothing (CONTRACTS: ready file).
@Suite struct ReloadTests {
    static func config(text: String, extraSite: Bool) -> ProxyConfigSpec {
        var sites: [SiteSpec] = [.respond(["reload.test"], text)]
        if extraSite { sites.append(.respond(["added.test"], "added\n")) }
        return ProxyConfigSpec(sites: sites)
    }

    @Test func validConfigIsAppliedAndBrokenConfigIsIgnored() async throws {
        let proxy = try await ProxyUnderTest.start(Self.config(text: "first\n", extraSite: false))
        defer { proxy.kill() }
        let port = proxy.httpsPort
        #expect(proxy.ready?.generation == 1)
        #expect(proxy.ready?.pid == proxy.pid)
        let before = try await Curl.https(host: "reload.test", port: port)
        #expect(before.bodyText == "first\n")

        try proxy.writeConfig(Self.config(text: "second\n", extraSite: true))
        proxy.sendSignal(SIGHUP)
        try await proxy.waitForGeneration(2)
        #expect(proxy.ready?.listeners.first { $0.tls }?.port == port, "listeners keep their ports across a reload")
        let after = try await Curl.https(host: "reload.test", port: port)
        #expect(after.bodyText == "second\n")
        let added = try await Curl.https(host: "added.test", port: port)
        #expect(added.status == 200 && added.bodyText == "added\n")
        let addedCertificate = try await TLSProbe.handshake(port: port, serverName: "added.test")
        #expect(addedCertificate.subjectAltNames == ["added.test"])

        let broken = Self.config(text: "third\n", extraSite: true).render() + "no_such_key = true\n"
        try proxy.writeConfig(text: broken)
        proxy.sendSignal(SIGHUP)
        try await proxy.waitForLog("reload failed")
        #expect(proxy.logs.contains("no_such_key"), "the reason names the key")
        let still = try await Curl.https(host: "reload.test", port: port)
        #expect(still.bodyText == "second\n")
        #expect(proxy.ready?.generation == 2)
        #expect(!proxy.process.hasExited)
    }

    /// A reload while a response is streaming leaves that response alone.
    @Test func inFlightResponseSurvivesReload() async throws {
        let upstream = try TestUpstream(name: "slow")
        defer { upstream.stop() }
        let v1 = ProxyConfigSpec(sites: [.proxy(["slow.test"], to: [upstream.address]), .respond(["r.test"], "v1\n")])
        let v2 = ProxyConfigSpec(sites: [.proxy(["slow.test"], to: [upstream.address]), .respond(["r.test"], "v2\n")])
        let proxy = try await ProxyUnderTest.start(v1)
        defer { proxy.kill() }
        async let slow = Curl.https(host: "slow.test", port: proxy.httpsPort, path: "/slow?ms=1500&n=3000", within: 20)
        try await upstream.waitForRequests(1)
        try proxy.writeConfig(v2)
        proxy.sendSignal(SIGHUP)
        try await proxy.waitForGeneration(2)
        let fresh = try await Curl.https(host: "r.test", port: proxy.httpsPort)
        #expect(fresh.bodyText == "v2\n")
        let response = try await slow
        #expect(response.status == 200)
        #expect(response.body == Pattern.bytes(3000))
    }
}
