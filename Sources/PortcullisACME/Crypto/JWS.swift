import Foundation
import PortcullisTLS

/// Flattened JWS JSON serialisation of ACME requests (RFC 8555 §6.2, RFC 7515 §7.2.2).
public enum JWS {
    /// A signed request body. `payload` nil means POST-as-GET (an empty payload, §6.3). With `kid`
    /// nil the header carries the account's `jwk` (newAccount, revocation by certificate key).
    public static func sign(
        payload: [String: Any]?, url: String, nonce: String?, key: AccountKey, kid: String?
    ) throws -> Data {
        var header: [String: Any] = ["alg": "ES256", "url": url]
        if let nonce { header["nonce"] = nonce }
        if let kid { header["kid"] = kid } else { header["jwk"] = key.jwk }
        let protected = Base64URL.encode(try Self.json(header))
        let body = try payload.map { Base64URL.encode(try Self.json($0)) } ?? ""
        let signature = try key.sign(Array((protected + "." + body).utf8))
        return Data(try Self.json(["protected": protected, "payload": body, "signature": Base64URL.encode(signature)]))
    }

    /// The `externalAccountBinding` member of newAccount (RFC 8555 §7.3.4): the account JWK signed
    /// with HS256 under the CA-issued MAC key.
    public static func externalAccountBinding(
        accountKey: AccountKey, kid: String, hmacKey: [UInt8], url: String
    ) throws -> [String: Any] {
        let protected = Base64URL.encode(try Self.json(["alg": "HS256", "kid": kid, "url": url]))
        let payload = Base64URL.encode(Array(AccountKey.canonicalJWK(accountKey.jwk).utf8))
        let mac = Digest.hmacSHA256(key: hmacKey, Array((protected + "." + payload).utf8))
        return ["protected": protected, "payload": payload, "signature": Base64URL.encode(mac)]
    }

    /// Compact, key-sorted JSON bytes.
    static func json(_ object: Any) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
    }
}
