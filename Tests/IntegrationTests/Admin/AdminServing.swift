import Foundation
import Testing
import TestSupport

/// Which certificate the proxy serves, seen by `openssl s_client`.
enum AdminServing {
    /// The subject of the leaf served for `host`, and when the handshake that saw it started.
    static func leafSerial(port: UInt16, host: String) async throws -> String {
        let handshake = try await TLSProbe.handshake(port: port, serverName: host, extraArguments: ["-verify_quiet"])
        return try await self.serial(ofFirstCertificateIn: handshake.rawOutput)
    }

    /// The serial of the first PEM block in `text` (`openssl x509 -noout -serial`).
    static func serial(ofFirstCertificateIn text: String) async throws -> String {
        guard let start = text.range(of: "-----BEGIN CERTIFICATE-----"),
            let end = text.range(of: "-----END CERTIFICATE-----", range: start.upperBound..<text.endIndex)
        else { throw HarnessError("no certificate in s_client output") }
        let pem = String(text[start.lowerBound..<end.upperBound]) + "\n"
        let result = try await ChildProcess.run("openssl", ["x509", "-noout", "-serial"], stdin: Array(pem.utf8))
        return String(decoding: result.stdout, as: UTF8.self).replacingOccurrences(of: "serial=", with: "")
            .trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
    }

    /// The serial of the certificate in file `path`.
    static func serial(file path: String) async throws -> String {
        try await self.serial(ofFirstCertificateIn: try String(contentsOfFile: path, encoding: .utf8))
    }

    /// Polls handshakes for `host` until one serves `serial`; fails unless a handshake started within
    /// `seconds` of `since` served it (each handshake is a new `openssl` process).
    static func expectServed(
        serial: String, port: UInt16, host: String, since: ContinuousClock.Instant, within seconds: Double,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let deadline = since + .milliseconds(Int(seconds * 1000))
        var startedAt = ContinuousClock.now
        var seen = ""
        var attempts: [String] = []
        repeat {
            startedAt = ContinuousClock.now
            seen = try await self.leafSerial(port: port, host: host)
            attempts.append("\(seen) started +\(startedAt - since)")
        } while seen != serial && ContinuousClock.now < deadline
        #expect(seen == serial, "served \(seen), expected \(serial); \(attempts)", sourceLocation: sourceLocation)
        #expect(startedAt <= deadline, "first handshake serving it started too late: \(attempts)", sourceLocation: sourceLocation)
    }
}
