import Foundation
import TestSupport

/// A running proxy for the browser test: HTTPS on a free port, the admin API on another, and a store
/// that already holds the certificates the sites name (`shop` for shop.test, `soon` expiring in 5 days,
/// `mm` covering other.test but serving mismatch.test), made with the real CLI before the start, and an
/// ACME site whose CA never answers.
final class DashboardSite: @unchecked Sendable {
    let directory: String
    let configPath: String
    let process: ChildProcess
    let httpsPort: UInt16
    let adminPort: UInt16
    var stateDir: String { self.directory + "/state" }
    var tokenFile: String { self.stateDir + "/admin.token" }
    var adminURL: String { "http://127.0.0.1:\(self.adminPort)" }
    var logs: String { self.process.stderrText }

    static let config = """
        [server]
        state_dir = "state"
        workers = 1
        drain_timeout = 2

        [admin]
        bind = "127.0.0.1:0"

        # A CA that never answers: the ACME certificate stays pending, then failed, with Renew offered.
        [acme]
        directory = "https://127.0.0.1:9/directory"
        email = "ops@example.com"
        agree_tos = true

        [[listener]]
        bind = "127.0.0.1:0"
        tls = true
        default_certificate = "localhost"

        [[site]]
        hosts = ["localhost"]
        respond = "hello from localhost"

        [[site]]
        hosts = ["shop.test"]
        certificate = "shop"
        respond = "shop"

        [[site]]
        hosts = ["soon.test"]
        certificate = "soon"
        respond = "soon"

        [[site]]
        hosts = ["acme.test"]
        certificate = "acme"
        respond = "acme"

        [[site]]
        hosts = ["mismatch.test"]
        certificate = "mm"
        respond = "mismatch"

        """

    /// Writes the config and the store, starts `portcullis run`, and waits for its ready file.
    static func start(file: StaticString = #filePath, line: UInt = #line) async throws -> DashboardSite {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-ui-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let config = dir + "/proxy.conf"
        try Self.config.write(toFile: config, atomically: true, encoding: .utf8)
        let binary = try ProxyUnderTest.binary()
        for (name, domain, days) in [("shop", "shop.test", 30), ("soon", "soon.test", 5), ("mm", "other.test", 30)] {
            let made = try await ChildProcess.run(
                binary, ["certs", "selfsign", "--config", config, "--name", name, "--domain", domain, "--days", String(days)],
                within: 20, file: file, line: line)
            guard made.exitCode == 0 else { throw HarnessError("certs selfsign \(name): \(made.stderr)", file: file, line: line) }
        }
        let ready = dir + "/ready.json"
        let child = try ChildProcess(binary, ["run", "--config", config, "--ready-file", ready])
        do {
            let ports = try await eventuallyValue(within: 30, "ready file with the admin port", file: file, line: line) {
                () -> (UInt16, UInt16)? in
                if child.hasExited { throw HarnessError("portcullis exited: \(child.stderrText.suffix(2000))") }
                return Self.ports(readyFile: ready)
            }
            return DashboardSite(directory: dir, config: config, process: child, ports: ports)
        } catch {
            child.kill()
            throw error
        }
    }

    private init(directory: String, config: String, process: ChildProcess, ports: (UInt16, UInt16)) {
        self.directory = directory
        self.configPath = config
        self.process = process
        (self.httpsPort, self.adminPort) = ports
    }

    /// (HTTPS port, admin port) from the ready file, once both are there.
    static func ports(readyFile: String) -> (UInt16, UInt16)? {
        guard let data = FileManager.default.contents(atPath: readyFile),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let listeners = json["listeners"] as? [[String: Any]],
            let https = listeners.first(where: { $0["tls"] as? Bool == true })?["port"] as? Int,
            let admin = (json["admin"] as? [String: Any])?["port"] as? Int
        else { return nil }
        return (UInt16(https), UInt16(admin))
    }

    /// Kills the proxy and removes its directory (kept with `PORTCULLIS_IT_KEEP`).
    func stop() {
        self.process.kill()
        if ProcessInfo.processInfo.environment["PORTCULLIS_IT_KEEP"] == nil {
            try? FileManager.default.removeItem(atPath: self.directory)
        }
    }
}
