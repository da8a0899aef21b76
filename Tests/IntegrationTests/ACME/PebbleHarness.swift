import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Pebble and pebble-challtestsrv on loopback with ports of their own (docs/REFERENCE.md, Pebble on loopback):
/// challtestsrv answers DNS only (`-defaultIPv6 ""`, no HTTP-01/TLS-ALPN ports), pebble validates
/// HTTP-01 against `httpPort` (the proxy's plain listener) and resolves through challtestsrv.
final class PebbleHarness: @unchecked Sendable {  // mutated only by the owning test
    let directory: String
    let acmePort: UInt16
    let managementPort: UInt16
    let dnsPort: UInt16
    let challtestsrvPort: UInt16
    let httpPort: UInt16
    let environment: [String]
    private(set) var pebble: ChildProcess?
    let challtestsrv: ChildProcess

    var directoryURL: String { "https://127.0.0.1:\(self.acmePort)/dir" }
    /// The CA of pebble's own HTTPS endpoint (the proxy's `ca_file`); not the issuing root.
    var endpointCA: String { self.directory + "/certs/ca.pem" }
    var logs: String { (self.pebble?.stdoutText ?? "") + (self.pebble?.stderrText ?? "") }

    /// Starts both servers; `validity` is pebble's certificateValidityPeriod in seconds (0 = 5 years).
    /// With `eabKey`, pebble requires external account binding with key id `kid-1` and that HMAC key.
    /// `tlsPort` is where pebble validates TLS-ALPN-01 (the proxy's TLS listener); nil = nowhere.
    static func start(
        httpPort: UInt16, tlsPort: UInt16? = nil, validity: Int = 0, nonceReject: Int = 5, eabKey: String? = nil,
        defaultIPv4: String = "127.0.0.1"
    ) async throws -> PebbleHarness {
        let harness = try PebbleHarness(
            httpPort: httpPort, tlsPort: tlsPort, validity: validity, nonceReject: nonceReject, eabKey: eabKey,
            defaultIPv4: defaultIPv4)
        try await harness.startPebble()
        return harness
    }

    /// `defaultIPv4` is challtestsrv's A answer for names without a mock record ("" = none).
    private init(
        httpPort: UInt16, tlsPort: UInt16?, validity: Int, nonceReject: Int, eabKey: String?, defaultIPv4: String
    ) throws {
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("pebble-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: self.directory + "/certs", withIntermediateDirectories: true)
        (self.acmePort, self.managementPort) = (try LoopbackSocket.closedPort(), try LoopbackSocket.closedPort())
        (self.dnsPort, self.challtestsrvPort) = (try LoopbackSocket.closedPort(), try LoopbackSocket.closedPort())
        self.httpPort = httpPort
        self.environment = ["PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=\(nonceReject)"]
        try Self.makeEndpointCertificate(in: self.directory + "/certs")
        let config: [String: Any] = [
            "pebble": [
                "listenAddress": "127.0.0.1:\(self.acmePort)", "managementListenAddress": "127.0.0.1:\(self.managementPort)",
                "certificate": self.directory + "/certs/cert.pem", "privateKey": self.directory + "/certs/key.pem",
                "httpPort": Int(httpPort), "tlsPort": Int(try tlsPort ?? LoopbackSocket.closedPort()),
                "certificateValidityPeriod": validity, "externalAccountBindingRequired": eabKey != nil,
                "externalAccountMACKeys": eabKey.map { ["kid-1": $0] } ?? [:],
            ] as [String: Any]
        ]
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: self.directory + "/pebble.json"))
        self.challtestsrv = try ChildProcess("pebble-challtestsrv", [
            "-defaultIPv4", defaultIPv4, "-defaultIPv6", "", "-dns01", "127.0.0.1:\(self.dnsPort)",
            "-management", "127.0.0.1:\(self.challtestsrvPort)", "-http01", "", "-https01", "", "-tlsalpn01", "",
        ])
    }

    /// (Re)starts pebble and waits until `/dir` answers.
    func startPebble() async throws {
        let process = try ChildProcess("/usr/bin/env", self.environment + [
            "pebble", "-config", self.directory + "/pebble.json", "-dnsserver", "127.0.0.1:\(self.dnsPort)",
        ])
        self.pebble = process
        try await eventually(within: 60, poll: 0.05, "pebble /dir on \(self.acmePort)") {
            if process.hasExited { throw HarnessError("pebble exited: \(process.stdoutText.suffix(1500)) \(process.stderrText.suffix(1500))") }
            return try await self.curl(["https://127.0.0.1:\(self.acmePort)/dir"]).0 == 0
        }
    }

    /// POSTs `body` to challtestsrv's management API (`set-cname`, `add-a`, `set-txt`, …).
    func challtest(_ path: String, _ body: [String: Any]) async throws {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
        let result = try await ChildProcess.run(
            "curl", ["-sS", "--fail", "--max-time", "5", "-X", "POST", "-d", json, "http://127.0.0.1:\(self.challtestsrvPort)/\(path)"],
            within: 10)
        guard result.exitCode == 0 else { throw HarnessError("challtestsrv /\(path) failed: \(result.stderr)") }
    }

    /// Stops pebble (TERM, then KILL).
    func stopPebble() async throws {
        guard let pebble = self.pebble else { return }
        pebble.signal(SIGTERM)
        _ = try? await pebble.waitForExit(within: 5)
        pebble.kill()
        self.pebble = nil
    }

    /// Kills both servers (synchronously, so a `defer` in a test leaves nothing running) and removes the folder.
    func shutdown() {
        self.pebble?.kill()
        self.challtestsrv.kill()
        try? FileManager.default.removeItem(atPath: self.directory)
    }

    /// The issuing root of this pebble run (management API `/roots/0`).
    func issuingRoot() async throws -> String {
        let (code, body) = try await self.curl(["https://127.0.0.1:\(self.managementPort)/roots/0"])
        guard code == 0, body.contains("BEGIN CERTIFICATE") else { throw HarnessError("roots/0 failed: \(body)") }
        return body
    }

    /// `/cert-status-by-serial/<hex>` as JSON.
    func certificateStatus(serialHex: String) async throws -> [String: Any] {
        let (_, body) = try await self.curl(["https://127.0.0.1:\(self.managementPort)/cert-status-by-serial/\(serialHex)"])
        return (try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:]
    }

    /// curl with pebble's endpoint CA; returns exit code and body.
    private func curl(_ arguments: [String]) async throws -> (Int32, String) {
        let result = try await ChildProcess.run("curl", ["-sS", "--fail", "--cacert", self.endpointCA, "--max-time", "5"] + arguments, within: 10)
        return (result.exitCode, String(decoding: result.stdout, as: UTF8.self))
    }

    /// A throwaway CA and a `localhost`/127.0.0.1 server certificate for pebble's HTTPS endpoints (docs/REFERENCE.md, the endpoint TLS certificate).
    private static func makeEndpointCertificate(in dir: String) throws {
        let script = """
            set -e
            cd "$1"
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
              -subj "/CN=pebble test endpoint CA" -addext "basicConstraints=critical,CA:TRUE" \
              -addext "keyUsage=critical,keyCertSign,cRLSign" -keyout ca.key -out ca.pem 2>/dev/null
            openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=localhost" \
              -keyout key.pem -out server.csr 2>/dev/null
            printf 'basicConstraints=critical,CA:FALSE\\nkeyUsage=critical,digitalSignature\\nextendedKeyUsage=serverAuth\\nsubjectAltName=DNS:localhost,IP:127.0.0.1\\n' > server.ext
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -sha256 \
              -extfile server.ext -out cert.pem 2>/dev/null
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, "sh", dir]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw HarnessError("making pebble's endpoint certificate failed") }
    }
}
