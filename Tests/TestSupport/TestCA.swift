import Foundation

/// Certificates made at run time with the `openssl` binary (never checked in).
public enum TestCA {
    public struct Issued: Sendable {
        public let certificate: String
        public let key: String
    }

    /// A self-signed ECDSA P-256 certificate valid for two days; files `<first name>.crt/.key` in `dir`.
    public static func selfSigned(
        commonName: String, dnsNames: [String], in dir: String, file: StaticString = #filePath, line: UInt = #line
    ) async throws -> Issued {
        let base = dir + "/" + commonName.replacingOccurrences(of: "*", with: "_wildcard")
        let sans = dnsNames.map { "DNS:\($0)" }.joined(separator: ",")
        let result = try await ChildProcess.run(
            "openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-keyout", base + ".key", "-out", base + ".crt", "-subj", "/CN=\(commonName)",
                "-addext", "subjectAltName=\(sans)",
            ], within: 20, file: file, line: line)
        guard result.exitCode == 0 else { throw HarnessError("openssl req failed: \(result.stderr)", file: file, line: line) }
        return Issued(certificate: base + ".crt", key: base + ".key")
    }
}
