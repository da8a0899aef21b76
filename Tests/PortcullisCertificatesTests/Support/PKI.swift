import Foundation

/// A throwaway PKI made with the `openssl` binary in a temporary folder: root → intermediate → leaf
/// certificates with chosen SANs, lifetimes and key types, plus PKCS#12 files.
final class PKI: @unchecked Sendable {  // used from one test at a time
    let directory: String

    init() throws {
        self.directory = NSTemporaryDirectory() + "pc-pki-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: self.directory, withIntermediateDirectories: true)
        try self.write("ca.ext", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n")
        try self.run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
            self.path("root.key"), "-out", self.path("root.crt"), "-subj", "/CN=Test Root", "-days", "30"])
        try self.issue("int", issuer: "root", subject: "/CN=Test Intermediate", extensions: "ca.ext", days: 30)
    }

    deinit { try? FileManager.default.removeItem(atPath: self.directory) }

    func path(_ name: String) -> String { self.directory + "/" + name }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: self.path(name), atomically: true, encoding: .utf8)
    }

    func read(_ name: String) throws -> String { try String(contentsOfFile: self.path(name), encoding: .utf8) }

    /// A leaf `<name>.crt`/`<name>.key` signed by `issuer` (default: the intermediate).
    @discardableResult
    func leaf(
        _ name: String, sans: [String], days: Int = 10, issuer: String = "int", key: [String] = ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
    ) throws -> String {
        let san = sans.map { "DNS:" + $0 }.joined(separator: ",")
        try self.write(name + ".ext", "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=\(san)\nauthorityKeyIdentifier=keyid\n")
        try self.issue(name, issuer: issuer, subject: "/CN=\(sans[0])", extensions: name + ".ext", days: days, key: key)
        return self.path(name + ".crt")
    }

    /// Signs a new key's CSR with `issuer`. Negative `days` are made by backdating with `-days 1` and
    /// a fake clock is not available, so expired certificates use `expired(...)` instead.
    private func issue(
        _ name: String, issuer: String, subject: String, extensions: String, days: Int,
        key: [String] = ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
    ) throws {
        try self.run(["req", "-newkey"] + key + ["-nodes", "-keyout", self.path(name + ".key"), "-out",
            self.path(name + ".csr"), "-subj", subject])
        try self.run(["x509", "-req", "-in", self.path(name + ".csr"), "-CA", self.path(issuer + ".crt"), "-CAkey",
            self.path(issuer + ".key"), "-CAcreateserial", "-out", self.path(name + ".crt"), "-days", "\(days)",
            "-extfile", self.path(extensions)])
    }

    /// A PFX of `name`'s key and certificate plus `extra` certificates; legacy = RC2-40/3DES + SHA-1 MAC.
    @discardableResult
    func pfx(_ name: String, extra: [String], password: String, legacy: Bool) throws -> String {
        try self.write(name + ".pw", password + "\n")
        try self.write(name + "-extra.pem", try extra.map { try self.read($0 + ".crt") }.joined())
        var arguments = ["pkcs12", "-export", "-in", self.path(name + ".crt"), "-inkey", self.path(name + ".key"),
            "-certfile", self.path(name + "-extra.pem"), "-out", self.path(name + (legacy ? "-legacy" : "") + ".pfx"),
            "-passout", "file:" + self.path(name + ".pw")]
        if legacy { arguments.append("-legacy") }
        try self.run(arguments)
        return self.path(name + (legacy ? "-legacy" : "") + ".pfx")
    }

    /// Runs `openssl` with `arguments`; throws with its stderr on failure.
    func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PKIError("openssl \(arguments.joined(separator: " ")): \(String(decoding: output, as: UTF8.self))")
        }
    }
}

struct PKIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
