import ArgumentParser
import Foundation
import PortcullisCertificates

/// `portcullis certs import`: PEM (leaf, chain, CA bundle, key) or PKCS#12, validated before it is saved.
struct CertsImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a certificate (PEM or PFX); an existing name is replaced and kept as the previous version.")

    @OptionGroup var options: CertsConfigOption
    @Option(help: "Certificate name in the store.") var name: String
    @Option(help: "Leaf certificate, PEM (may include the chain) or DER.") var cert: String?
    @Option(help: "Intermediate certificates, PEM.") var chain: String?
    @Option(help: "CA bundle used to complete and check the chain (roots are not served).") var ca: String?
    @Option(help: "Private key, PEM or DER, unencrypted.") var key: String?
    @Option(help: "PKCS#12 file (instead of --cert/--key).") var pfx: String?
    @Option(help: "File whose first line is the PFX password.") var passwordFile: String?
    @Flag(help: "Accept an expired or not-yet-valid certificate.") var force = false

    func validate() throws {
        if self.pfx != nil {
            guard self.cert == nil, self.key == nil, self.chain == nil, self.ca == nil else {
                throw ValidationError("--pfx cannot be combined with --cert, --chain, --ca or --key")
            }
            guard self.passwordFile != nil else { throw ValidationError("--pfx needs --password-file") }
        } else {
            guard self.cert != nil, self.key != nil else {
                throw ValidationError("give --cert and --key (PEM or DER), or --pfx with --password-file")
            }
        }
    }

    func run() throws {
        let (config, store) = try self.options.store()
        let source: CertificateImportRequest.Source
        if let pfx = self.pfx {
            source = .pkcs12(path: pfx, passwordFile: self.passwordFile!)
        } else {
            source = .pem(certificate: self.cert!, chain: self.chain, caBundle: self.ca, key: self.key!)
        }
        let request = CertificateImportRequest(name: self.name, source: source, force: self.force)
        let result = CertsOutput.run { try CertificateImporter.importCertificate(request, into: store) }
        for warning in result.warnings { CertsOutput.warn(warning) }
        let row = CertsOutput.run { try CertificateStatusTable.row(result.certificate, config: config, now: Date()) }
        print(CertsOutput.describe("imported", row))
    }
}

/// `portcullis certs selfsign`: a new self-signed certificate under a name.
struct CertsSelfsignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selfsign", abstract: "Generate a self-signed certificate (replacing one of the same name).")

    @OptionGroup var options: CertsConfigOption
    @Option(help: "Certificate name in the store.") var name: String
    @Option(help: "A DNS name (repeat for more; the first is the CN).") var domain: [String] = []
    @Option(help: "ec256, ec384, rsa2048, rsa3072 or rsa4096.") var keyType = "ec256"
    @Option(help: "Validity in days.") var days = 365

    func run() throws {
        guard let keyType = KeyType(rawValue: self.keyType) else {
            CertsOutput.fail("unknown key type \"\(self.keyType)\"; use ec256, ec384, rsa2048, rsa3072 or rsa4096")
        }
        guard !self.domain.isEmpty else { CertsOutput.fail("give at least one --domain") }
        guard (1...3650).contains(self.days) else { CertsOutput.fail("--days must be between 1 and 3650") }
        let (config, store) = try self.options.store()
        CertsOutput.run { try CertificateImporter.checkName(self.name) }
        let (chain, key) = CertsOutput.run {
            try SelfSignedGenerator.generate(domains: self.domain, keyType: keyType, days: self.days)
        }
        let metadata = CertificateMetadata(
            source: .selfSigned, domains: self.domain, created: CertificateClock.rfc3339(Date()))
        let certificate = StoredCertificate(name: self.name, chainPEM: chain, keyPEM: key, metadata: metadata)
        CertsOutput.run { try store.save(certificate) }
        let row = CertsOutput.run { try CertificateStatusTable.row(certificate, config: config, now: Date()) }
        print(CertsOutput.describe("generated", row))
    }
}
