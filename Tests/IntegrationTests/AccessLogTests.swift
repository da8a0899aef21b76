import Foundation
import Testing
import TestSupport

/// One access log line per request on stdout, in the documented formats (CONTRACTS: access log).
@Suite struct AccessLogTests {
    @Test func combinedFormatLine() async throws {
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.respond(["log.test"], "logged\n")]))
        defer { proxy.kill() }
        let response = try await Curl.https(
            host: "log.test", port: proxy.httpsPort, path: "/page?q=1", ["-A", "it-agent/1.0", "-e", "https://ref.test/"])
        #expect(response.status == 200)
        let line = try await eventuallyValue(within: 5, "access log line") { proxy.accessLogLines.first { $0.contains("/page?q=1") } }
        let pattern = #"^127\.0\.0\.1 - - \[\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] "GET /page\?q=1 HTTP/1\.1" 200 7 "https://ref\.test/" "it-agent/1\.0"$"#
        #expect(line.range(of: pattern, options: .regularExpression) != nil, "\(line)")
    }

    @Test func jsonFormatLine() async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(server: ["access_log_format": "\"json\""], sites: [.respond(["log.test"], "logged\n")]))
        defer { proxy.kill() }
        let response = try await Curl.https(host: "log.test", port: proxy.httpsPort, path: "/j")
        #expect(response.status == 200)
        let line = try await eventuallyValue(within: 5, "json access log line") { proxy.accessLogLines.first { $0.contains("\"/j\"") } }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        for key in ["time", "remote", "host", "method", "target", "protocol", "status", "bytes_sent", "duration_ms", "upstream", "sni"] {
            #expect(object.keys.contains(key), "missing \(key) in \(line)")
        }
        #expect(object["status"] as? Int == 200)
        #expect(object["sni"] as? String == "log.test")
        #expect(object["method"] as? String == "GET")
    }
}
