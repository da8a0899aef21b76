import Foundation
import Testing
import TestSupport

/// Expiry warnings (docs/REFERENCE.md, certificate store): a certificate inside `expiry_warning_days` gets a WARN line, a JSON
/// POST to `expiry_webhook` and a run of `expiry_command` with `PORTCULLIS_CERT_*` in its environment.
@Suite struct ExpiryWarningTests {
    @Test func logLineWebhookAndCommand() async throws {
        let receiver = try await CertsWebhookReceiver()
        defer { receiver.stop() }
        let spec = ProxyConfigSpec(listeners: [.https()], sites: [.respond(["fine.test"], "ok\n")])
        let proxy = try await ProxyUnderTest.start(spec)
        defer { proxy.kill() }
        let marker = proxy.directory + "/command.out"
        let tls = "[tls]\nexpiry_webhook = \"http://127.0.0.1:\(receiver.port)/hooks/expiry\"\n"
            + "expiry_command = \"echo $PORTCULLIS_CERT_NAME $PORTCULLIS_CERT_DAYS_LEFT $PORTCULLIS_CERT_DOMAINS >> \(marker)\"\n"
        try proxy.writeConfig(text: spec.render().replacingOccurrences(of: "[tls]\n", with: tls))
        proxy.sendSignal(SIGHUP)
        try await proxy.waitForGeneration(2)

        let cli = CertsCLI(configPath: proxy.configPath)
        let result = try await cli.run(["selfsign", "--name", "soon", "--domain", "soon.test", "--domain", "www.soon.test", "--days", "5"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        try await proxy.waitForLog("certificate expires soon")
        let line = try #require(proxy.logs.split(separator: "\n").first { $0.contains("certificate expires soon") })
        #expect(line.contains("warning"))
        #expect(line.contains("certificate=soon"))
        #expect(line.contains("domains=soon.test,www.soon.test"))
        #expect(line.contains("days_left=4"))
        #expect(!proxy.logs.contains("certificate=fine.test days_left"), "a certificate outside the window is quiet")

        let body = try await eventuallyValue(within: 10, "webhook POST") { receiver.bodies.first }
        #expect(body["name"] as? String == "soon")
        #expect(body["domains"] as? [String] == ["soon.test", "www.soon.test"])
        #expect(body["days_left"] as? Int == 4)
        #expect(body["status"] as? String == "expiring")
        try await eventually(within: 10, "expiry_command output") {
            (try? String(contentsOfFile: marker, encoding: .utf8)) == "soon 4 soon.test,www.soon.test\n"
        }

        // Another store change re-checks everything, but within the same day "soon" is not repeated.
        try await cli.run(["selfsign", "--name", "later", "--domain", "later.test", "--days", "6"])
        try await proxy.waitForLog("certificate=later")
        _ = try await eventuallyValue(within: 10, "webhook POST for later") { receiver.bodies.first { $0["name"] as? String == "later" } }
        #expect(receiver.bodies.filter { $0["name"] as? String == "soon" }.count == 1)
        #expect(proxy.logs.components(separatedBy: "certificate=soon").count == 2)
    }
}
