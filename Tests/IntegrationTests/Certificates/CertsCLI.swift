import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Runs `portcullis certs …` against a config, and reads the store the way an operator would.
struct CertsCLI: Sendable {
    let configPath: String
    var stateDir: String { (self.configPath as NSString).deletingLastPathComponent + "/state" }

    /// A temporary folder with a `proxy.conf` (state_dir = "state") serving `sites` (host → certificate).
    static func scratch(sites: [(host: String, certificate: String)]) throws -> CertsCLI {
        let dir = NSTemporaryDirectory() + "pc-certs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var text = "[server]\nstate_dir = \"state\"\n\n[[listener]]\nbind = \"127.0.0.1:0\"\ntls = true\n"
        for site in sites {
            text += "\n[[site]]\nhosts = [\"\(site.host)\"]\ncertificate = \"\(site.certificate)\"\nrespond = \"ok\\n\"\n"
        }
        try text.write(toFile: dir + "/proxy.conf", atomically: true, encoding: .utf8)
        return CertsCLI(configPath: dir + "/proxy.conf")
    }

    /// `portcullis certs <arguments> --config FILE`.
    @discardableResult
    func run(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) async throws -> (exitCode: Int32, stdout: String, stderr: String) {
        let result = try await ChildProcess.run(
            try ProxyUnderTest.binary(), ["certs"] + arguments + ["--config", self.configPath], within: 30, file: file, line: line)
        return (result.exitCode, String(decoding: result.stdout, as: UTF8.self), result.stderr)
    }

    /// The `certs list --json` array.
    func list(file: StaticString = #filePath, line: UInt = #line) async throws -> [[String: Any]] {
        let result = try await self.run(["list", "--json"], file: file, line: line)
        guard result.exitCode == 0 else { throw HarnessError("certs list failed: \(result.stderr)", file: file, line: line) }
        guard let rows = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] else {
            throw HarnessError("certs list --json is not an array: \(result.stdout)", file: file, line: line)
        }
        return rows
    }

    /// An identity for the leaf in `<state>/certs/<name>/chain.pem`: the last 40 base64 characters of its
    /// DER (part of the signature), as `CertSwapClientLoop` reports it.
    func leafIdentity(_ name: String) throws -> String {
        try Self.identity(pem: String(contentsOfFile: self.stateDir + "/certs/\(name)/chain.pem", encoding: .utf8))
    }

    static func identity(pem: String) -> String {
        let lines = pem.split(separator: "\n")
        let start = lines.firstIndex { $0.hasPrefix("-----BEGIN CERTIFICATE") } ?? 0
        let end = lines[start...].firstIndex { $0.hasPrefix("-----END CERTIFICATE") } ?? lines.endIndex
        return String(lines[(start + 1)..<end].joined().suffix(40))
    }

    func remove() { try? FileManager.default.removeItem(atPath: (self.configPath as NSString).deletingLastPathComponent) }
}

/// Wall-clock nanoseconds (the clock Python's `time.time_ns()` reads).
func certsWallClockNanoseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
}

/// A Python client performing TLS handshakes back to back until stdin closes; one line each:
/// `<start_ns> <end_ns> OK <leaf identity>` or `<start_ns> <end_ns> FAIL <reason>`.
final class CertSwapClientLoop: @unchecked Sendable {  // the child process is thread-safe
    struct Handshake {
        var start: Int64
        var end: Int64
        var identity: String?
        var failure: String?
    }

    private let child: ChildProcess
    /// Lines parsed so far and the byte offset after the last complete line (parsing is incremental).
    private let parsed = Locked<(handshakes: [Handshake], offset: Int)>(([], 0))

    init(port: UInt16, serverName: String) throws {
        self.child = try ChildProcess("python3", ["-c", Self.script, String(port), serverName], pipeStdin: true)
    }

    /// Every handshake reported so far.
    var handshakes: [Handshake] {
        let bytes = self.child.stdoutBytes
        return self.parsed.withLock { state in
            guard let end = bytes.lastIndex(of: UInt8(ascii: "\n")), end >= state.offset else { return state.handshakes }
            let text = String(decoding: bytes[state.offset..<end], as: UTF8.self)
            state.offset = end + 1
            state.handshakes += text.split(separator: "\n").compactMap(Self.parse)
            return state.handshakes
        }
    }

    /// The newest handshake reported.
    var last: Handshake? { self.handshakes.last }

    private static func parse(_ line: Substring) -> Handshake? {
        let parts = line.split(separator: " ", maxSplits: 3)
        guard parts.count == 4, let start = Int64(parts[0]), let end = Int64(parts[1]) else { return nil }
        let ok = parts[2] == "OK"
        return Handshake(start: start, end: end, identity: ok ? String(parts[3]) : nil, failure: ok ? nil : String(parts[3]))
    }

    var diagnostics: String { self.child.stderrText }

    func stop() async throws {
        self.child.closeStdin()
        try await self.child.waitForExit(within: 10)
    }

    static let script = """
        import base64, socket, ssl, sys, threading, time
        port, name = int(sys.argv[1]), sys.argv[2]
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        done = threading.Event()
        threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
        while not done.is_set():
            start = time.time_ns()
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
                    with ctx.wrap_socket(raw, server_hostname=name) as tls:
                        der = tls.getpeercert(binary_form=True)
                line = "OK " + base64.b64encode(der).decode()[-40:]
            except Exception as error:
                line = "FAIL " + (type(error).__name__ + ":" + str(error)).replace("\\n", " ")
            sys.stdout.write("%d %d %s\\n" % (start, time.time_ns(), line))
            sys.stdout.flush()
        """
}
