import Foundation
import Testing
import TestSupport

/// `POST /api/v1/reload` through the one commit path, and the read-only views.
@Suite(.serialized) struct AdminReloadTests {
    @Test func brokenConfigIs422WithTheLineAndTheOldConfigKeepsServing() async throws {
        let proxy = try await AdminProxy.start(sites: [.respond(["localhost"], "old\n")], defaultCertificate: "localhost")
        defer { proxy.kill() }
        let admin = try AdminClient(proxy)
        let generation = try #require(proxy.ready?.generation)
        var broken = ProxyConfigSpec(
            server: ["workers": "2"], listeners: [.https(defaultCertificate: "localhost")],
            sites: [SiteSpec(hosts: ["localhost"], respond: "new\n", extra: ["colour = \"blue\""])])
        broken.trailer = AdminProxy.section
        try proxy.writeConfig(broken)
        let text = try String(contentsOfFile: proxy.configPath, encoding: .utf8)
        let line = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("colour") }) + 1
        let reload = try await admin.object("POST", "/api/v1/reload")
        #expect(reload.status == 422)
        let detail = try #require(reload.body["detail"] as? String)
        #expect(detail.contains("\(proxy.configPath):\(line):"), "\(detail)")
        #expect(detail.contains("colour"))
        #expect((reload.body["errors"] as? [String])?.isEmpty == false)
        #expect(proxy.ready?.generation == generation)
        let served = try await Curl.https(host: "localhost", port: proxy.httpsPort)
        #expect(served.bodyText == "old\n")
        // Fixed: the same route commits it.
        var fixed = broken
        fixed.sites = [.respond(["localhost"], "new\n")]
        try proxy.writeConfig(fixed)
        let good = try await admin.object("POST", "/api/v1/reload")
        #expect(good.status == 200)
        #expect(good.body["generation"] as? Int == generation + 1)
        #expect(try await Curl.https(host: "localhost", port: proxy.httpsPort).bodyText == "new\n")
    }

    @Test func sitesPoliciesEventsAndOpenAPI() async throws {
        let proxy = try await AdminProxy.start(sites: [.respond(["localhost"], "ok\n")], defaultCertificate: "localhost")
        defer { proxy.kill() }
        let admin = try AdminClient(proxy)
        let sites = try await admin.request("GET", "/api/v1/sites")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(sites.body)) as? [[String: Any]])
        #expect(rows.first?["hosts"] as? [String] == ["localhost"])
        #expect(rows.first?["certificates"] as? [String] == ["localhost"])
        #expect(rows.first?["policy"] as? String == "mozilla-intermediate")
        let policy = try await admin.object("GET", "/api/v1/policies/mozilla-modern")
        #expect(policy.status == 200)
        #expect(policy.body["versions"] as? [String] == ["1.3"])
        #expect(try await admin.object("GET", "/api/v1/policies/nope").status == 404)
        _ = try await admin.object("PUT", "/api/v1/certificates/extra", json: ["self_signed": ["domains": ["extra.test"]]])
        let events = try await admin.request("GET", "/api/v1/events?after=0")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(events.body)) as? [[String: Any]])
        #expect(list.contains { $0["kind"] as? String == "import" && $0["name"] as? String == "extra" })
        let last = try #require(list.last?["seq"] as? Int)
        let none = try await admin.request("GET", "/api/v1/events?after=\(last)")
        #expect(none.bodyText.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        let openapi = try await admin.object("GET", "/api/v1/openapi.json")
        #expect(openapi.body["openapi"] as? String == "3.1.0")
        #expect(admin.bodiesWithPrivateKeys.isEmpty)
    }
}
