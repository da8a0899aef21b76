import Foundation
import PortcullisTLS

/// `certs export`: the public chain as PEM (never the key), or PKCS#12 with the key for the local CLI
/// only (the admin API must never call `pkcs12`).
public enum CertificateExporter {
    /// The stored chain, leaf first, as PEM. Contains no private key by construction.
    public static func chainPEM(store: CertificateStore, name: String) throws -> String {
        let certificate = try self.load(store: store, name: name)
        // Re-encode every block so nothing but certificates leaves, whatever is in chain.pem.
        let chain = try X509Certificate.chain(fromPEM: certificate.chainPEM)
        return try chain.map { try $0.pem() }.joined()
    }

    /// PKCS#12 (AES-256, SHA-256 MAC) holding the key and chain, encrypted with `password`.
    /// - Warning: contains the private key; for the local CLI with an explicit flag only.
    public static func pkcs12(store: CertificateStore, name: String, password: String) throws -> [UInt8] {
        let certificate = try self.load(store: store, name: name)
        let chain = try X509Certificate.chain(fromPEM: certificate.chainPEM)
        let key = try PrivateKey(pem: certificate.keyPEM)
        return try PKCS12Reader.export(chain: chain, key: key, password: password, friendlyName: name)
    }

    /// The certificate, or an error naming the missing folder.
    private static func load(store: CertificateStore, name: String) throws -> StoredCertificate {
        guard let certificate = try store.load(name: name) else {
            throw CertificateStoreError.notFound(name: name, path: store.layout.certificateDirectory(name: name))
        }
        return certificate
    }
}
