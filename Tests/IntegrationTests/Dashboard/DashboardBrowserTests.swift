import Foundation
import Testing
import TestSupport

/// The dashboard in headless Chromium against the real binary: `Tests/Browser/dashboard_test.py` signs in,
/// reads the table, uploads PEM and PFX, downloads the chain, rolls back, watches a CLI change arrive and
/// checks headers and origins. Fails (never skips) when Chromium, its driver or Selenium is missing:
/// `make test` installs them.
@Suite struct DashboardBrowserTests {
    static let python = "/usr/bin/python3"

    @Test func dashboardInHeadlessChromium() async throws {
        for tool in ["/usr/bin/chromium", "/usr/bin/chromedriver", Self.python] {
            #expect(FileManager.default.isExecutableFile(atPath: tool), "\(tool) is missing; run make test-deps")
        }
        let selenium = try await ChildProcess.run(Self.python, ["-c", "import selenium"], within: 20)
        #expect(selenium.exitCode == 0, "Selenium is missing for \(Self.python) (Debian package python3-selenium)")
        guard selenium.exitCode == 0 else { return }

        let site = try await DashboardSite.start()
        defer { site.stop() }
        let script = Self.repositoryRoot() + "/Tests/Browser/dashboard_test.py"
        let out = site.directory + "/browser"
        let arguments = [
            script, "--admin", site.adminURL, "--token-file", site.tokenFile, "--state-dir", site.stateDir,
            "--config", site.configPath, "--portcullis", try ProxyUnderTest.binary(), "--out", out,
            "--https-port", String(site.httpsPort),
        ]
        let result = try await ChildProcess.run(Self.python, arguments, within: 120)
        let output = String(decoding: result.stdout, as: UTF8.self)
        #expect(result.exitCode == 0, "dashboard_test.py failed:\n\(output)\n\(result.stderr.suffix(3000))\nproxy log:\n\(site.logs.suffix(2000))")
        print(output)
        Self.keepScreenshots(from: out)
    }

    /// The checkout this test file lives in.
    static func repositoryRoot(file: String = #filePath) -> String {
        var url = URL(fileURLWithPath: file)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }

    /// Copies the screenshots to `PORTCULLIS_SCREENSHOTS` when set (how docs/ gets them).
    static func keepScreenshots(from dir: String) {
        guard let target = ProcessInfo.processInfo.environment["PORTCULLIS_SCREENSHOTS"], !target.isEmpty else { return }
        try? FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasSuffix(".png") {
            try? FileManager.default.removeItem(atPath: target + "/" + name)
            try? FileManager.default.copyItem(atPath: dir + "/" + name, toPath: target + "/" + name)
        }
    }
}
