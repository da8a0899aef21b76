import Foundation
import PortcullisTLS
import Testing

@testable import PortcullisACME

/// base64url, ES256 signatures, JWK thumbprints and the JWS envelope.
@Suite struct CryptoTests {
    @Test(arguments: [
        ([UInt8](), ""), ([0x66], "Zg"), ([0x66, 0x6f], "Zm8"), ([0x66, 0x6f, 0x6f], "Zm9v"),
        ([0xfb, 0xff, 0xfe], "-__-"), ([0x03, 0xe0, 0x3f], "A-A_"),
    ])
    func base64URLRoundTrip(bytes: [UInt8], text: String) {
        #expect(Base64URL.encode(bytes) == text)
        #expect(Base64URL.decode(text) == bytes)
    }

    @Test func base64URLRejectsOtherAlphabets() {
        #expect(Base64URL.decode("a+b/") == nil)
        #expect(Base64URL.decode("Zg=") == [0x66])
    }

    /// DER `SEQUENCE { INTEGER r, INTEGER s }` with a sign-padding byte and a short `s` becomes 64 raw bytes.
    @Test func derSignatureBecomesRawRS() throws {
        let r = [UInt8](repeating: 0x80, count: 32)
        let der: [UInt8] = [0x30, 0x26, 0x02, 0x21, 0x00] + r + [0x02, 0x01, 0x05]
        let raw = try AccountKey.rawSignature(fromDER: der)
        #expect(raw.count == 64)
        #expect(Array(raw[0..<32]) == r)
        #expect(Array(raw[32..<63]) == [UInt8](repeating: 0, count: 31) && raw[63] == 5)
    }

    @Test func accountKeyRoundTripsThroughPEMAndSigns() throws {
        let key = try AccountKey.generate()
        let again = try AccountKey(pem: try key.pem())
        #expect(again.jwk == key.jwk)
        #expect(again.thumbprint == key.thumbprint)
        #expect(key.jwk["crv"] == "P-256" && key.jwk["kty"] == "EC")
        #expect(Base64URL.decode(key.jwk["x"]!)?.count == 32 && Base64URL.decode(key.jwk["y"]!)?.count == 32)
        let message = Array("payload".utf8)
        let (first, second) = (try key.sign(message), try key.sign(message))
        #expect(first.count == 64 && second.count == 64)
        #expect(first != second, "ECDSA signatures are randomised")
    }

    /// RFC 7638 §3: required members only, lexical order, no whitespace; the thumbprint hashes that.
    @Test func thumbprintHashesTheCanonicalJWK() throws {
        let jwk = ["kty": "EC", "crv": "P-256", "x": "AAA", "y": "BBB", "kid": "ignored"]
        #expect(AccountKey.canonicalJWK(jwk) == #"{"crv":"P-256","kty":"EC","x":"AAA","y":"BBB"}"#)
        let key = try AccountKey.generate()
        let expected = Base64URL.encode(Digest.sha256(Array(AccountKey.canonicalJWK(key.jwk).utf8)))
        #expect(key.thumbprint == expected)
        #expect(key.thumbprint.count == 43)
    }

    /// SHA-256("abc") from FIPS 180-2, and HMAC-SHA-256 from RFC 4231 test case 2.
    @Test func digestsMatchPublishedVectors() {
        let abc = Digest.sha256(Array("abc".utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(abc == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let mac = Digest.hmacSHA256(key: Array("Jefe".utf8), Array("what do ya want for nothing?".utf8))
        #expect(mac.map { String(format: "%02x", $0) }.joined() == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func jwsCarriesKidOrJWKAndAnEmptyPayloadForPostAsGet() throws {
        let key = try AccountKey.generate()
        let withKid = try Self.decode(try JWS.sign(payload: nil, url: "https://ca/order/1", nonce: "n1", key: key, kid: "https://ca/acct/7"))
        #expect(withKid.header["alg"] as? String == "ES256")
        #expect(withKid.header["kid"] as? String == "https://ca/acct/7" && withKid.header["jwk"] == nil)
        #expect(withKid.header["nonce"] as? String == "n1" && withKid.header["url"] as? String == "https://ca/order/1")
        #expect(withKid.payload == "")
        #expect(withKid.signature.count == 64)
        let withJWK = try Self.decode(try JWS.sign(payload: ["termsOfServiceAgreed": true], url: "u", nonce: "n", key: key, kid: nil))
        #expect(withJWK.header["kid"] == nil)
        #expect((withJWK.header["jwk"] as? [String: String]) == key.jwk)
        #expect(String(decoding: Base64URL.decode(withJWK.payload)!, as: UTF8.self) == #"{"termsOfServiceAgreed":true}"#)
    }

    /// RFC 8555 §7.3.4: HS256 over the account JWK, with the EAB key id and the newAccount URL.
    @Test func externalAccountBindingSignsTheAccountKey() throws {
        let key = try AccountKey.generate()
        let hmacKey = Array("secret".utf8)
        let eab = try JWS.externalAccountBinding(accountKey: key, kid: "kid-1", hmacKey: hmacKey, url: "https://ca/new-acct")
        let protected = eab["protected"] as! String
        let payload = eab["payload"] as! String
        let header = try JSONSerialization.jsonObject(with: Data(Base64URL.decode(protected)!)) as! [String: String]
        #expect(header == ["alg": "HS256", "kid": "kid-1", "url": "https://ca/new-acct"])
        #expect(String(decoding: Base64URL.decode(payload)!, as: UTF8.self) == AccountKey.canonicalJWK(key.jwk))
        let mac = Digest.hmacSHA256(key: hmacKey, Array((protected + "." + payload).utf8))
        #expect(eab["signature"] as? String == Base64URL.encode(mac))
    }

    /// DNS-01 record name and value (RFC 8555 §8.4).
    @Test func dnsRecordNameAndValue() {
        #expect(DNS01HookSolver.recordName("*.example.com") == "_acme-challenge.example.com.")
        #expect(DNS01HookSolver.recordName("www.example.org") == "_acme-challenge.www.example.org.")
        #expect(DNS01HookSolver.recordValue("token.thumb") == Base64URL.encode(Digest.sha256(Array("token.thumb".utf8))))
    }

    @Test func csrIsDER() throws {
        for keyType in ["ec256", "ec384", "rsa2048"] {
            let (der, pem) = try CSRBuilder.make(domains: ["a.example.test", "b.example.test"], keyType: keyType)
            #expect(der.first == 0x30 && der.count > 100, "\(keyType)")
            #expect(pem.contains("PRIVATE KEY"))
        }
    }

    static func decode(_ body: Data) throws -> (header: [String: Any], payload: String, signature: [UInt8]) {
        let object = try JSONSerialization.jsonObject(with: body) as! [String: String]
        let header = try JSONSerialization.jsonObject(with: Data(Base64URL.decode(object["protected"]!)!)) as! [String: Any]
        return (header, object["payload"]!, Base64URL.decode(object["signature"]!)!)
    }
}
