import Foundation
import TestSupport

/// A root CA, an intermediate and leaves signed by the intermediate, made with the `openssl` binary
/// at run time, plus a key that matches nothing and PKCS#12 bundles.
struct AdminPKI: Sendable {
    let dir: String
    var rootPath: String { self.dir + "/root.crt" }
    var intermediatePath: String { self.dir + "/intermediate.crt" }

    /// Makes the two CAs in a new temporary folder.
    static func make(file: StaticString = #filePath, line: UInt = #line) async throws -> AdminPKI {
        let dir = NSTemporaryDirectory() + "pc-admin-pki-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let pki = AdminPKI(dir: dir)
        try "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n".write(
            toFile: dir + "/ca.ext", atomically: true, encoding: .utf8)
        try await pki.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "400",
            "-keyout", dir + "/root.key", "-out", dir + "/root.crt", "-subj", "/CN=Admin Test Root",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"], file: file, line: line)
        try await pki.openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", dir + "/intermediate.key", "-out", dir + "/intermediate.csr", "-subj", "/CN=Admin Test Intermediate"], file: file, line: line)
        try await pki.openssl(["x509", "-req", "-in", dir + "/intermediate.csr", "-CA", dir + "/root.crt", "-CAkey", dir + "/root.key",
            "-CAcreateserial", "-days", "300", "-extfile", dir + "/ca.ext", "-out", dir + "/intermediate.crt"], file: file, line: line)
        return pki
    }

    /// A leaf for `host` signed by the intermediate: (certificate path, key path).
    func leaf(_ host: String, file: StaticString = #filePath, line: UInt = #line) async throws -> (certificate: String, key: String) {
        let base = self.dir + "/" + host + "-" + UUID().uuidString.prefix(8)
        try "subjectAltName=DNS:\(host)\nbasicConstraints=CA:FALSE\n".write(toFile: base + ".ext", atomically: true, encoding: .utf8)
        try await self.openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", base + ".key", "-out", base + ".csr", "-subj", "/CN=\(host)"], file: file, line: line)
        try await self.openssl(["x509", "-req", "-in", base + ".csr", "-CA", self.intermediatePath, "-CAkey", self.dir + "/intermediate.key",
            "-CAcreateserial", "-days", "90", "-extfile", base + ".ext", "-out", base + ".crt"], file: file, line: line)
        return (base + ".crt", base + ".key")
    }

    /// A fresh key that matches no certificate.
    func strayKey(file: StaticString = #filePath, line: UInt = #line) async throws -> String {
        let path = self.dir + "/stray-\(UUID().uuidString.prefix(8)).key"
        try await self.openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path], file: file, line: line)
        return path
    }

    /// A PKCS#12 file of `leaf`, its key and the intermediate, under `password`.
    func pfx(_ leaf: (certificate: String, key: String), password: String, file: StaticString = #filePath, line: UInt = #line)
        async throws -> [UInt8]
    {
        let path = self.dir + "/bundle-\(UUID().uuidString.prefix(8)).pfx"
        try await self.openssl(["pkcs12", "-export", "-in", leaf.certificate, "-inkey", leaf.key, "-certfile", self.intermediatePath,
            "-passout", "pass:\(password)", "-out", path], file: file, line: line)
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    func remove() { try? FileManager.default.removeItem(atPath: self.dir) }

    private func openssl(_ arguments: [String], file: StaticString, line: UInt) async throws {
        let result = try await ChildProcess.run("openssl", arguments, within: 30, file: file, line: line)
        guard result.exitCode == 0 else { throw HarnessError("openssl \(arguments[0]) failed: \(result.stderr)", file: file, line: line) }
    }
}
