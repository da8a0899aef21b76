internal import COpenSSL

/// SHA-256 and HMAC-SHA-256 over byte arrays (JWK thumbprints, DNS-01 values, EAB MACs).
package enum Digest {
    /// SHA-256 of `bytes`.
    package static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = EVP_Digest(bytes, bytes.count, &out, &length, EVP_sha256(), nil)
        precondition(ok == 1 && length == 32, "SHA-256 failed")
        return out
    }

    /// HMAC-SHA-256 of `bytes` under `key` (external account binding, RFC 8555 §7.3.4).
    package static func hmacSHA256(key: [UInt8], _ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let result = HMAC(EVP_sha256(), key, Int32(key.count), bytes, bytes.count, &out, &length)
        precondition(result != nil && length == 32, "HMAC-SHA-256 failed")
        return out
    }
}
