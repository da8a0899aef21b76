internal import COpenSSL
import Foundation
import PortcullisTLS

/// The ACME account key: ECDSA P-256, signing with ES256 (RFC 7518 §3.4). Kept in the store as PEM.
public final class AccountKey: @unchecked Sendable {  // immutable after init; EVP_PKEY signing is thread-safe
    private let key: PrivateKey
    /// The public JWK members (`crv`, `kty`, `x`, `y`).
    public let jwk: [String: String]

    /// A new random key.
    public static func generate() throws -> AccountKey {
        try AccountKey(key: KeyFactory.make(.ec256))
    }

    /// Reads a PEM private key; it must be P-256.
    public convenience init(pem: String) throws {
        do {
            try self.init(key: PrivateKey(pem: pem))
        } catch let error as TLSError {
            throw ACMECryptoError(action: "reading the account key", openSSLErrors: [error.description])
        }
    }

    private init(key: PrivateKey) throws {
        self.key = key
        self.jwk = try key.withUnsafePointer { try Self.publicJWK($0) }
    }

    /// The key as PKCS#8 PEM (store it 0600).
    public func pem() throws -> String {
        do { return try self.key.pem() } catch { throw ACMECryptoError(action: "writing the account key", openSSLErrors: ["\(error)"]) }
    }

    /// RFC 7638 thumbprint: SHA-256 of the JWK's required members in lexical order, base64url.
    public var thumbprint: String {
        Base64URL.encode(Digest.sha256(Array(Self.canonicalJWK(self.jwk).utf8)))
    }

    /// `{"crv":…,"kty":…,"x":…,"y":…}` with no whitespace (RFC 7638 §3).
    static func canonicalJWK(_ jwk: [String: String]) -> String {
        let members = ["crv", "kty", "x", "y"].map { "\"\($0)\":\"\(jwk[$0] ?? "")\"" }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// ES256 signature of `message`: the raw 64-byte `r || s` JWS wants, not OpenSSL's DER.
    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        let der = try self.key.withUnsafePointer { try Self.signDER($0, message) }
        return try Self.rawSignature(fromDER: der)
    }

    /// EVP_DigestSign with SHA-256; returns the DER `ECDSA-Sig-Value`.
    private static func signDER(_ pkey: OpaquePointer, _ message: [UInt8]) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw ACMECryptoError.draining("allocating a digest context") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, pkey) == 1 else {
            throw ACMECryptoError.draining("starting the ES256 signature")
        }
        var length = 0
        guard EVP_DigestSign(context, nil, &length, message, message.count) == 1 else {
            throw ACMECryptoError.draining("sizing the ES256 signature")
        }
        var der = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &der, &length, message, message.count) == 1 else {
            throw ACMECryptoError.draining("signing with the account key")
        }
        return Array(der.prefix(length))
    }

    /// DER `SEQUENCE { r INTEGER, s INTEGER }` → `r || s`, each left-padded to 32 bytes.
    static func rawSignature(fromDER der: [UInt8]) throws -> [UInt8] {
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
        }
        guard let signature = parsed else { throw ACMECryptoError.draining("decoding the ECDSA signature") }
        defer { ECDSA_SIG_free(signature) }
        var r: OpaquePointer? = nil
        var s: OpaquePointer? = nil
        ECDSA_SIG_get0(signature, &r, &s)
        var raw = [UInt8](repeating: 0, count: 64)
        let ok = raw.withUnsafeMutableBufferPointer { buffer in
            BN_bn2binpad(r, buffer.baseAddress, 32) == 32 && BN_bn2binpad(s, buffer.baseAddress! + 32, 32) == 32
        }
        guard ok else { throw ACMECryptoError.draining("encoding the ES256 signature") }
        return raw
    }

    /// The uncompressed public point split into the JWK's `x` and `y` (RFC 7518 §6.2.1).
    private static func publicJWK(_ pkey: OpaquePointer) throws -> [String: String] {
        guard EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC, EVP_PKEY_get_bits(pkey) == 256 else {
            throw ACMECryptoError(action: "reading the account key", openSSLErrors: ["the account key must be ECDSA P-256"])
        }
        var point = [UInt8](repeating: 0, count: 65)
        var length = 0
        guard EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, &point, point.count, &length) == 1,
            length == 65, point[0] == 0x04
        else { throw ACMECryptoError.draining("reading the account key's public point") }
        return ["crv": "P-256", "kty": "EC", "x": Base64URL.encode(point[1..<33]), "y": Base64URL.encode(point[33..<65])]
    }
}
