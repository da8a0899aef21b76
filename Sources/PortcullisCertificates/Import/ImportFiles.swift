internal import COpenSSL
import Foundation
import PortcullisTLS

/// Reads the files an import names: certificates (PEM, possibly several, or one DER) and private keys
/// (PEM or DER), mapping every failure to a `CertificateImportError` that names the file.
enum ImportFiles {
    /// The whole file.
    static func bytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file"
            throw CertificateImportError.unreadableFile(path: path, reason: reason)
        }
        return Array(data)
    }

    /// Every certificate in `path`: PEM blocks in file order, else a single DER certificate.
    static func certificates(_ path: String) throws -> [X509Certificate] {
        try Self.certificates(bytes: try Self.bytes(path), label: path)
    }

    /// Every certificate in `bytes` (named `label` in errors): PEM blocks in order, else one DER.
    static func certificates(bytes: [UInt8], label path: String) throws -> [X509Certificate] {
        if let chain = try? X509Certificate.chain(fromPEM: String(decoding: bytes, as: UTF8.self)) { return chain }
        var pointer: UnsafePointer<UInt8>? = nil
        let x509: OpaquePointer? = bytes.withUnsafeBufferPointer { buffer in
            pointer = buffer.baseAddress
            return d2i_X509(nil, &pointer, buffer.count)
        }
        ERR_clear_error()
        guard let x509 else { throw CertificateImportError.notACertificate(path: path) }
        return [X509Certificate(takingOwnership: x509)]
    }

    /// The private key in `path`: PEM (PKCS#8 or traditional), else DER.
    static func key(_ path: String) throws -> PrivateKey {
        try Self.key(bytes: try Self.bytes(path), label: path)
    }

    /// The private key in `bytes` (named `label` in errors): PEM, else DER.
    static func key(bytes: [UInt8], label path: String) throws -> PrivateKey {
        if let key = try? PrivateKey(pem: String(decoding: bytes, as: UTF8.self)) { return key }
        var pointer: UnsafePointer<UInt8>? = nil
        let pkey: OpaquePointer? = bytes.withUnsafeBufferPointer { buffer in
            pointer = buffer.baseAddress
            return d2i_AutoPrivateKey(nil, &pointer, buffer.count)
        }
        ERR_clear_error()
        guard let pkey else { throw CertificateImportError.notAKey(path: path) }
        return PrivateKey(takingOwnership: pkey)
    }

    /// The password in a password file: its first line (a trailing newline is not part of it).
    static func password(_ path: String) throws -> String {
        let text = String(decoding: try Self.bytes(path), as: UTF8.self)
        return String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
    }
}
