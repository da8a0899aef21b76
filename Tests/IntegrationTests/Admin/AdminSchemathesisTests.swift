import Foundation
import Testing
import TestSupport

/// schemathesis (PyPI) generates requests from `/api/v1/openapi.json` and checks every answer against
/// the document: no 5xx, documented status codes, content types, headers and schemas. A missing
/// schemathesis fails the test (`make test-deps` installs it).
@Suite(.serialized) struct AdminSchemathesisTests {
    @Test func openAPIDocumentHoldsUnderSchemathesis() async throws {
        let proxy = try await AdminProxy.start(sites: [.respond(["localhost"], "ok\n")], defaultCertificate: "localhost")
        defer { proxy.kill() }
        let admin = try AdminClient(proxy)
        // libevent 2.1 answers methods it does not know (the draft QUERY method) with 501 itself, as
        // RFC 9110 §15.6.2 allows; every method it knows gets our 405.
        let config = proxy.directory + "/schemathesis.toml"
        try "[phases.coverage]\nunexpected-methods = [\"GET\", \"PUT\", \"POST\", \"DELETE\", \"OPTIONS\", \"PATCH\", \"TRACE\"]\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let har = proxy.directory + "/schemathesis.har"
        let arguments = [
            "--config-file", config, "run", "http://127.0.0.1:\(proxy.adminPort)/api/v1/openapi.json",
            "-H", "Authorization: Bearer \(admin.token)", "--max-examples", "5", "--seed", "2", "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance",
            "--report", "har", "--report-har-path", har,
        ]
        let child: ChildProcess
        do {
            child = try ChildProcess("schemathesis", arguments)
        } catch {
            Issue.record("schemathesis is not installed (pip install -r requirements-test.txt, or make test-deps): \(error)")
            return
        }
        let code = try await child.waitForExit(within: 240)
        let output = child.stdoutText + child.stderrText
        #expect(code == 0, "schemathesis failed:\n\(output.suffix(6000))")
        #expect(output.contains(" passed"), "\(output.suffix(2000))")
        // No response of the whole run held a private key.
        let log = try String(contentsOfFile: har, encoding: .utf8)
        #expect(log.contains("\"entries\""))
        #expect(!log.contains("PRIVATE KEY"))
        #expect(!proxy.logs.contains("PRIVATE KEY"))
    }
}
