import COpenSSL
import Foundation
import PortcullisCertificates
import PortcullisConfig
import Testing

@testable import PortcullisTLS

/// TLS-ALPN-01 (RFC 8737) on the real ClientHello path: `openssl s_client -alpn acme-tls/1` against the
/// loopback server using the front context.
@Suite(.serialized) struct ALPNChallengeTests {
    private static func server() throws -> (LoopbackTLSServer, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let registry = CertificateRegistry()
        let config = makeConfig(stateDir: directory.path, sites: SnapshotBuilderTests.sites)
        let store = CertificateStore(layout: StoreLayout(stateDir: directory.path))
        let snapshot = try SnapshotBuilder.build(config: config, store: store, registry: registry, generation: 1)
        let front = try FrontTLSContext(
            holder: CertSnapshotHolder(snapshot), defaultCertificateID: registry.id(for: "default.test"),
            policy: .intermediate)
        return (try LoopbackTLSServer(front: front), directory)
    }

    @Test func pendingChallengeIsServedOnlyToAcmeTLSClientHellos() throws {
        let (server, directory) = try Self.server()
        defer { server.stop() }
        let keyAuthorization = "token-\(UUID().uuidString).thumbprint"
        try ALPNChallenges.shared.present(domain: "alpn.test", keyAuthorization: keyAuthorization)
        defer { ALPNChallenges.shared.withdraw(domain: "alpn.test") }

        let challenge = try SClient.connect(
            port: server.port, serverName: "alpn.test", ["-alpn", "acme-tls/1", "-showcerts"])
        #expect(challenge.raw.output.contains("ALPN protocol: acme-tls/1"), "\(challenge.raw.output.suffix(800))")
        let text = try Self.certificateText(challenge.raw.output, in: directory)
        #expect(text.contains("DNS:alpn.test") && !text.contains("DNS:alpn.test,"), "exactly one dNSName")
        #expect(text.contains("1.3.6.1.5.5.7.1.31: critical"))
        let (critical, value) = try Self.acmeIdentifier(Self.firstPEM(challenge.raw.output))
        #expect(critical)
        #expect(value == [0x04, 0x20] + Self.sha256(keyAuthorization), "OCTET STRING(SHA-256(key authorization))")

        // The same name without acme-tls/1, and another name with it, get the ordinary certificates.
        let plain = try SClient.connect(port: server.port, serverName: "alpn.test")
        #expect(plain.subjectCN == "default.test" && !plain.raw.output.contains("ALPN protocol: acme-tls/1"))
        let other = try SClient.connect(port: server.port, serverName: "a.test", ["-alpn", "acme-tls/1"])
        #expect(other.subjectCN == "a.test" && other.raw.output.contains("No ALPN negotiated"))

        ALPNChallenges.shared.withdraw(domain: "alpn.test")
        let after = try SClient.connect(port: server.port, serverName: "alpn.test", ["-alpn", "acme-tls/1"])
        #expect(after.subjectCN == "default.test" && after.raw.output.contains("No ALPN negotiated"))
    }

    @Test func protocolListParsing() {
        let list: [UInt8] = [2] + Array("h2".utf8) + [10] + Array("acme-tls/1".utf8)
        #expect(list.withUnsafeBytes { ALPNChallenges.findACMEProtocol($0) } == 4)
        let without: [UInt8] = [8] + Array("http/1.1".utf8)
        #expect(without.withUnsafeBytes { ALPNChallenges.findACMEProtocol($0) } == nil)
        let broken: [UInt8] = [20] + Array("acme-tls/1".utf8)
        #expect(broken.withUnsafeBytes { ALPNChallenges.findACMEProtocol($0) } == nil)
    }

    /// `openssl x509 -text` of the first certificate in s_client's output.
    private static func certificateText(_ output: String, in directory: TemporaryDirectory) throws -> String {
        let path = directory.file("leaf.pem")
        try Self.firstPEM(output).write(toFile: path, atomically: true, encoding: .utf8)
        return try Subprocess.run(["openssl", "x509", "-in", path, "-noout", "-text"]).output
    }

    private static func firstPEM(_ output: String) throws -> String {
        guard let start = output.range(of: "-----BEGIN CERTIFICATE-----"),
            let end = output.range(of: "-----END CERTIFICATE-----", range: start.upperBound..<output.endIndex)
        else { throw TLSError("no certificate in s_client output") }
        return String(output[start.lowerBound..<end.upperBound]) + "\n"
    }

    /// The id-pe-acmeIdentifier extension of `pem`: its critical flag and its DER value.
    private static func acmeIdentifier(_ pem: String) throws -> (Bool, [UInt8]) {
        let bytes = Array(pem.utf8)
        guard let bio = BIO_new_mem_buf(bytes, Int32(bytes.count)) else { throw TLSError("bio") }
        defer { BIO_free(bio) }
        guard let x509 = PEM_read_bio_X509(bio, nil, nil, nil) else { throw TLSError("bad PEM") }
        defer { X509_free(x509) }
        guard let object = OBJ_txt2obj("1.3.6.1.5.5.7.1.31", 1) else { throw TLSError("oid") }
        defer { ASN1_OBJECT_free(object) }
        let index = X509_get_ext_by_OBJ(x509, object, -1)
        guard index >= 0, let ext = X509_get_ext(x509, index), let data = X509_EXTENSION_get_data(ext),
            let pointer = ASN1_STRING_get0_data(data)
        else { throw TLSError("no acmeIdentifier extension") }
        let value = Array(UnsafeBufferPointer(start: pointer, count: Int(ASN1_STRING_length(data))))
        return (X509_EXTENSION_get_critical(ext) == 1, value)
    }

    private static func sha256(_ text: String) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let bytes = Array(text.utf8)
        _ = EVP_Digest(bytes, bytes.count, &digest, &length, EVP_sha256(), nil)
        return digest
    }
}
