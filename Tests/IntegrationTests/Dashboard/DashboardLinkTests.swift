import Foundation
import Testing
import TestSupport

/// `portcullis dashboard-link` (what `make run` prints): the admin URL with the token in the fragment,
/// or a clear refusal when there is no token file yet.
@Suite struct DashboardLinkTests {
    static let config = """
        [server]
        state_dir = "state"
        [admin]
        bind = "127.0.0.1:9180"
        [[listener]]
        bind = "127.0.0.1:0"
        tls = true
        [[site]]
        hosts = ["localhost"]
        respond = "x"

        """

    @Test func printsTheLinkOnceTheTokenExists() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-link-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/state", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.config.write(toFile: dir + "/proxy.conf", atomically: true, encoding: .utf8)
        let arguments = ["dashboard-link", "--config", dir + "/proxy.conf"]

        let missing = try await ChildProcess.run(try ProxyUnderTest.binary(), arguments, within: 20)
        #expect(missing.exitCode == 1)
        #expect(missing.stderr.contains("cannot read the admin token file \(dir)/state/admin.token"))

        let token = String(repeating: "7f", count: 32)
        try (token + "\n").write(toFile: dir + "/state/admin.token", atomically: true, encoding: .utf8)
        let found = try await ChildProcess.run(try ProxyUnderTest.binary(), arguments, within: 20)
        #expect(found.exitCode == 0)
        #expect(String(decoding: found.stdout, as: UTF8.self).contains("dashboard: http://127.0.0.1:9180/#signin=\(token)\n"))
    }
}
