import Foundation
import PortcullisTLS

/// The ACME account key: ECDSA P-256, signing with ES256 (RFC 7518 §3.4). Kept in the store as PEM.
public final class AccountKey: @unchecked Sendable {  // immutable after init; EVP_PKEY signing is thread-safe
    private let key: PrivateKey
    /// The public JWK members (`crv`, `kty`, `x`, `y`).
    public let jwk: [String: String]

    /// A new random key.
    public static func generate() throws -> AccountKey {
        let key: PrivateKey
        do throws(TLSError) { key = try PrivateKey.generate(curve: "P-256") } catch { throw ACMECryptoError(error) }
        return try AccountKey(key: key)
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
        do throws(TLSError) { self.jwk = Self.publicJWK(try key.p256PublicPoint()) } catch { throw ACMECryptoError(error) }
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
        do throws(TLSError) { return try self.key.es256Signature(message) } catch { throw ACMECryptoError(error) }
    }

    /// DER `SEQUENCE { r INTEGER, s INTEGER }` → `r || s`, each left-padded to 32 bytes.
    static func rawSignature(fromDER der: [UInt8]) throws -> [UInt8] {
        do throws(TLSError) { return try PrivateKey.rawECDSASignature(fromDER: der) } catch { throw ACMECryptoError(error) }
    }

    /// The uncompressed public point `04 || x || y` split into the JWK's `x` and `y` (RFC 7518 §6.2.1).
    private static func publicJWK(_ point: [UInt8]) -> [String: String] {
        ["crv": "P-256", "kty": "EC", "x": Base64URL.encode(point[1..<33]), "y": Base64URL.encode(point[33..<65])]
    }
}
