import Foundation
import PortcullisTLS
import Synchronization

/// One `openssl s_client` handshake attempt: the flags, and what was negotiated (nil when refused).
struct ProbeResult: Sendable {
    var protocolName: String?
    var cipher: String?
    var accepted: Bool { self.cipher != nil }
}

/// Runs `openssl s_client` against one endpoint, one version or cipher at a time, several at once.
struct PolicyProbe: Sendable {
    let host: String
    let port: Int
    let serverName: String?
    var timeout: Double = 8
    var concurrency = 8

    /// One handshake with `arguments` added to `s_client`; refused on any failure or timeout.
    func handshake(_ arguments: [String]) -> ProbeResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var args = ["openssl", "s_client", "-connect", "\(self.host):\(self.port)"]
        args += self.serverName.map { ["-servername", $0] } ?? ["-noservername"]
        process.arguments = args + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return ProbeResult() }
        let deadline = DispatchTime.now() + self.timeout
        let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: deadline, execute: killer)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        return Self.parse(String(decoding: data, as: UTF8.self))
    }

    /// Reads `New, TLSv1.2, Cipher is X` (s_client prints `Cipher is (NONE)` when the handshake failed).
    static func parse(_ text: String) -> ProbeResult {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("New, ") || $0.hasPrefix("Reused, ") })
        else { return ProbeResult() }
        let fields = line.components(separatedBy: ", ")
        guard fields.count > 2 else { return ProbeResult() }
        let cipher = fields[2].replacingOccurrences(of: "Cipher is ", with: "")
        guard cipher != "(NONE)" else { return ProbeResult() }
        return ProbeResult(protocolName: fields[1], cipher: cipher)
    }

    /// Runs every argument list, `concurrency` at a time; results in input order.
    func run(_ probes: [[String]]) -> [ProbeResult] {
        let results = Mutex<[ProbeResult]>(Array(repeating: ProbeResult(), count: probes.count))
        let next = Mutex(0)
        let group = DispatchGroup()
        for _ in 0..<min(self.concurrency, probes.count) {
            group.enter()
            Thread {
                while true {
                    let index = next.withLock { value -> Int in
                        defer { value += 1 }
                        return value
                    }
                    guard index < probes.count else { break }
                    let result = self.handshake(probes[index])
                    results.withLock { $0[index] = result }
                }
                group.leave()
            }.start()
        }
        group.wait()
        return results.withLock { $0 }
    }

    /// `s_client` flags for one protocol version (security level 0, so the client never refuses first).
    static func versionFlags(_ version: TLSProtocolVersion) -> [String] {
        switch version {
        case .tls1_0: return ["-tls1", "-cipher", "ALL:@SECLEVEL=0"]
        case .tls1_1: return ["-tls1_1", "-cipher", "ALL:@SECLEVEL=0"]
        case .tls1_2: return ["-tls1_2", "-cipher", "ALL:@SECLEVEL=0"]
        case .tls1_3: return ["-tls1_3"]
        }
    }

    /// Flags offering exactly TLS 1.2 cipher list `ciphers` (in that client order).
    static func cipherFlags(_ ciphers: [String]) -> [String] {
        ["-tls1_2", "-cipher", ciphers.joined(separator: ":") + ":@SECLEVEL=0"]
    }

    /// Flags offering exactly TLS 1.3 suites `suites` (in that client order).
    static func suiteFlags(_ suites: [String]) -> [String] {
        ["-tls1_3", "-ciphersuites", suites.joined(separator: ":")]
    }
}
