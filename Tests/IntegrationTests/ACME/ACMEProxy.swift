import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A `portcullis run` whose plain listener sits on a port chosen before pebble starts (pebble's
/// `httpPort` must equal it), with an `[acme]` section pointing at the harness.
final class ACMEProxy: @unchecked Sendable {  // fields are set once in start()
    let directory: String
    let process: ChildProcess
    let httpsPort: UInt16
    /// The admin API's port (0 without `[admin]`).
    let adminPort: UInt16
    var stateDir: String { self.directory + "/state" }
    var logs: String { self.process.stderrText }

    /// The config text: a TLS listener on a free port, the plain listener on `httpPort`, one ACME site per entry.
    static func config(httpPort: UInt16, pebble: PebbleHarness, sites: [[String]], acmeExtra: [String] = []) -> String {
        var lines = [
            "[server]", "state_dir = \"state\"", "workers = 2", "drain_timeout = 2",
            "", "[[listener]]", "bind = \"127.0.0.1:0\"", "tls = true",
            "", "[[listener]]", "bind = \"127.0.0.1:\(httpPort)\"", "tls = false",
        ]
        for hosts in sites {
            lines += ["", "[[site]]", "hosts = [\(hosts.map { "\"\($0)\"" }.joined(separator: ", "))]", "certificate = \"acme\"", "respond = \"ok\\n\""]
        }
        lines += [
            "", "[acme]", "directory = \"\(pebble.directoryURL)\"", "email = \"ops@example.com\"", "agree_tos = true",
            "ca_file = \"\(pebble.endpointCA)\"",
        ] + acmeExtra
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `config` into a fresh folder and starts the proxy; returns once the ready file is written.
    static func start(config: String, directory: String? = nil) async throws -> ACMEProxy {
        let dir = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-acme-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try config.write(toFile: dir + "/proxy.conf", atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: dir + "/ready.json")
        let process = try ChildProcess(try ProxyUnderTest.binary(), ["run", "--config", dir + "/proxy.conf", "--ready-file", dir + "/ready.json"])
        let ports: (UInt16, UInt16) = try await eventuallyValue(within: 30, "ready file") {
            if process.hasExited { throw HarnessError("portcullis exited: \(process.stderrText.suffix(2000))") }
            guard let data = FileManager.default.contents(atPath: dir + "/ready.json"),
                let info = try? JSONDecoder().decode(ReadyInfo.self, from: data)
            else { return nil }
            return info.listeners.first { $0.tls }.map { ($0.port, info.admin?.port ?? 0) }
        }
        return ACMEProxy(directory: dir, process: process, httpsPort: ports.0, adminPort: ports.1)
    }

    private init(directory: String, process: ChildProcess, httpsPort: UInt16, adminPort: UInt16) {
        self.directory = directory
        self.process = process
        self.httpsPort = httpsPort
        self.adminPort = adminPort
    }

    /// Stops the process (the folder stays for a restart; `remove()` deletes it).
    func stop() async {
        self.process.signal(SIGTERM)
        _ = try? await self.process.waitForExit(within: 5)
        self.process.kill()
    }

    func remove() { try? FileManager.default.removeItem(atPath: self.directory) }

    /// Waits for `count` occurrences of `text` in the logs.
    func waitForLog(_ text: String, count: Int = 1, within seconds: Double = 20) async throws {
        try await eventually(within: seconds, "\(count)× log \"\(text)\"; logs: \(self.logs.suffix(1500))") {
            self.logs.components(separatedBy: text).count - 1 >= count
        }
    }

    /// Waits until the handshake for `serverName` serves a leaf issued by Pebble (the hot swap is
    /// asynchronous: the store is written first, then the control thread swaps the snapshot).
    func waitForPebbleCertificate(serverName: String, within seconds: Double = 20) async throws {
        try await eventually(within: seconds, poll: 0.1, "a Pebble-issued certificate for \(serverName)") {
            let chain = try await self.servedChain(serverName: serverName)
            return try await ACMEPEM.field(chain[0], "issuer").contains("Pebble")
        }
    }

    /// The chain served for `serverName` (leaf first), as PEM blocks.
    func servedChain(serverName: String) async throws -> [String] {
        let result = try await ChildProcess.run(
            "openssl", ["s_client", "-connect", "127.0.0.1:\(self.httpsPort)", "-servername", serverName, "-showcerts"], within: 10)
        let text = String(decoding: result.stdout, as: UTF8.self)
        var blocks: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "-----BEGIN CERTIFICATE-----"), let end = rest.range(of: "-----END CERTIFICATE-----", range: start.upperBound..<rest.endIndex) {
            blocks.append(String(rest[start.lowerBound..<end.upperBound]) + "\n")
            rest = rest[end.upperBound...]
        }
        guard !blocks.isEmpty else { throw HarnessError("no certificate for \(serverName): \(text.suffix(500)) \(result.stderr.suffix(500))") }
        return blocks
    }
}

/// Certificate facts through `openssl x509`.
enum ACMEPEM {
    /// `issuer=` / `subject=` / `serial=` lines of the first certificate.
    static func field(_ pem: String, _ option: String) async throws -> String {
        let result = try await ChildProcess.run("openssl", ["x509", "-noout", "-" + option, "-nameopt", "RFC2253"], stdin: Array(pem.utf8))
        let line = String(decoding: result.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return line.split(separator: "=", maxSplits: 1).last.map(String.init) ?? line
    }

    /// `openssl verify` of `chain[0]` against `root`, with the rest of `chain` as intermediates, for `host`.
    static func verifies(chain: [String], root: String, host: String, in dir: String) async throws -> Bool {
        let tag = UUID().uuidString
        let (rootPath, chainPath, leafPath) = (dir + "/root-\(tag).pem", dir + "/chain-\(tag).pem", dir + "/leaf-\(tag).pem")
        try root.write(toFile: rootPath, atomically: true, encoding: .utf8)
        try chain.joined().write(toFile: chainPath, atomically: true, encoding: .utf8)
        try chain[0].write(toFile: leafPath, atomically: true, encoding: .utf8)
        let result = try await ChildProcess.run(
            "openssl", ["verify", "-CAfile", rootPath, "-untrusted", chainPath, "-purpose", "sslserver", "-verify_hostname", host, leafPath])
        return result.exitCode == 0
    }
}
