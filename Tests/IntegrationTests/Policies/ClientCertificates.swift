import Foundation
import TestSupport

/// A throwaway client CA, a client certificate it signed (CN=alice) and an untrusted self-signed one,
/// made with the `openssl` binary in `dir`.
struct ClientCertificates {
    let caFile: String
    let certificate: String
    let key: String
    let untrustedCertificate: String
    let untrustedKey: String

    static func make(in dir: String) async throws -> ClientCertificates {
        func openssl(_ args: [String]) async throws {
            let result = try await ChildProcess.run("openssl", args, within: 20)
            guard result.exitCode == 0 else { throw HarnessError("openssl \(args.first ?? ""): \(result.stderr)") }
        }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        try await openssl(
            ["req", "-x509"] + ec + [
                "-days", "2", "-keyout", dir + "/ca.key", "-out", dir + "/ca.pem",
                "-subj", "/CN=Portcullis Test Client CA",
            ])
        try await openssl(
            ["req"] + ec + [
                "-keyout", dir + "/alice.key", "-out", dir + "/alice.csr",
                "-subj", "/O=Portcullis Tests/CN=alice",
            ])
        try await openssl([
            "x509", "-req", "-in", dir + "/alice.csr", "-CA", dir + "/ca.pem", "-CAkey", dir + "/ca.key",
            "-CAcreateserial", "-days", "2", "-out", dir + "/alice.pem",
        ])
        try await openssl(
            ["req", "-x509"] + ec + [
                "-days", "2", "-keyout", dir + "/mallory.key", "-out", dir + "/mallory.pem",
                "-subj", "/CN=mallory",
            ])
        return ClientCertificates(
            caFile: dir + "/ca.pem", certificate: dir + "/alice.pem", key: dir + "/alice.key",
            untrustedCertificate: dir + "/mallory.pem", untrustedKey: dir + "/mallory.key")
    }
}
