import Foundation
import Testing
import TestSupport

/// `/metrics` read by `prometheus_client`'s parser (a real Prometheus text parser): the expiry gauges
/// match `certs list`, and the counters move by exactly what the test sent.
@Suite(.serialized) struct AdminMetricsTests {
    /// Parses the exposition with prometheus_client and returns `name{labels}` → value (labels sorted).
    static func parse(_ text: String) async throws -> [String: Double] {
        let script = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = {}
            for family in text_string_to_metric_families(sys.stdin.read()):
                for s in family.samples:
                    labels = ",".join(f'{k}="{v}"' for k, v in sorted(s.labels.items()))
                    out[f"{s.name}{{{labels}}}"] = s.value
            print(json.dumps(out))
            """
        let result = try await ChildProcess.run("python3", ["-c", script], stdin: Array(text.utf8), within: 30)
        guard result.exitCode == 0 else { throw HarnessError("prometheus_client could not parse /metrics: \(result.stderr)") }
        return try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Double] ?? [:]
    }

    @Test func parsedByPrometheusClientAndCountersMoveExactly() async throws {
        let proxy = try await AdminProxy.start(sites: [.respond(["localhost"], "ok\n")], defaultCertificate: "localhost")
        defer { proxy.kill() }
        let admin = try AdminClient(proxy)
        let listener = "127.0.0.1:\(proxy.httpsPort)"
        let before = try await Self.parse(try await admin.request("GET", "/metrics").bodyText)
        let sent = 5
        for _ in 0..<sent { #expect(try await Curl.https(host: "localhost", port: proxy.httpsPort).status == 200) }
        let after = try await Self.parse(try await admin.request("GET", "/metrics").bodyText)
        let requests = "portcullis_http_requests_total{code=\"200\",site=\"localhost\"}"
        let handshakes = "portcullis_tls_handshakes_total{listener=\"\(listener)\",result=\"ok\"}"
        #expect((after[requests] ?? 0) - (before[requests] ?? 0) == Double(sent))
        #expect((after[handshakes] ?? 0) - (before[handshakes] ?? 0) == Double(sent))
        let count = "portcullis_http_request_duration_seconds_count{site=\"localhost\"}"
        #expect((after[count] ?? 0) - (before[count] ?? 0) == Double(sent))
        #expect(after["portcullis_connections_open{listener=\"\(listener)\"}"] != nil)
        #expect(after["portcullis_reloads_total{result=\"success\",trigger=\"startup\"}"] == 1)
        #expect(after["portcullis_expiry_warnings_total{}"] != nil)
        #expect(after["portcullis_acme_orders_total{result=\"success\"}"] == 0)
    }

    @Test func expiryGaugesMatchCertsList() async throws {
        let proxy = try await AdminProxy.start(sites: [.respond(["localhost"], "ok\n")], defaultCertificate: "localhost")
        defer { proxy.kill() }
        let admin = try AdminClient(proxy)
        _ = try await admin.object("PUT", "/api/v1/certificates/short", json: ["self_signed": ["domains": ["short.test"], "days": 5]])
        let listed = try await ChildProcess.run(try ProxyUnderTest.binary(), ["certs", "list", "--json", "--config", proxy.configPath], within: 30)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout)) as? [[String: Any]])
        let metrics = try await Self.parse(try await admin.request("GET", "/metrics").bodyText)
        #expect(rows.count == 2)
        for row in rows {
            let name = try #require(row["name"] as? String)
            let source = try #require(row["source"] as? String)
            let notAfterText = try #require(row["not_after"] as? String)
            let notAfter = try #require(ISO8601DateFormatter().date(from: notAfterText))
            let key = "portcullis_certificate_not_after_timestamp_seconds{name=\"\(name)\",source=\"\(source)\"}"
            #expect(metrics[key] == notAfter.timeIntervalSince1970, "\(key)")
            let left = try #require(metrics["portcullis_certificate_expiry_seconds{name=\"\(name)\"}"])
            #expect(abs(left - notAfter.timeIntervalSinceNow) < 60)
            #expect(Int((left / 86_400).rounded(.down)) == row["days_left"] as? Int)
            let status = try #require(row["status"] as? String)
            #expect(metrics["portcullis_certificate_status{name=\"\(name)\",status=\"\(status)\"}"] == 1)
        }
        #expect(metrics["portcullis_certificate_status{name=\"short\",status=\"expiring\"}"] == 1)
    }

    /// The certificate gauges are cached between commits: a scrape right after an import or a delete
    /// shows the change (the cache is keyed by commit generation and control-plane events).
    @Test func certificateGaugesFollowImportAndDelete() async throws {
        let proxy = try await AdminProxy.start(sites: [.respond(["localhost"], "ok\n")], defaultCertificate: "localhost")
        defer { proxy.kill() }
        let admin = try AdminClient(proxy)
        let key = "portcullis_certificate_status{name=\"later\",status=\"valid\"}"
        #expect(try await Self.parse(try await admin.request("GET", "/metrics").bodyText)[key] == nil)
        _ = try await admin.object("PUT", "/api/v1/certificates/later", json: ["self_signed": ["domains": ["later.test"], "days": 90]])
        let afterImport = try await Self.parse(try await admin.request("GET", "/metrics").bodyText)
        #expect(afterImport[key] == 1)
        #expect(afterImport["portcullis_certificate_expiry_seconds{name=\"later\"}"].map { $0 > 89 * 86_400 } == true)
        #expect(try await admin.request("DELETE", "/api/v1/certificates/later").status == 204)
        let afterDelete = try await Self.parse(try await admin.request("GET", "/metrics").bodyText)
        #expect(afterDelete[key] == nil)
        #expect(afterDelete["portcullis_certificate_status{name=\"localhost\",status=\"valid\"}"] == 1)
    }
}
