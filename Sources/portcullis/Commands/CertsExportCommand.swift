import ArgumentParser
import Foundation
import PortcullisCertificates

/// `portcullis certs export`: the public chain as PEM; PKCS#12 with the key only on explicit request.
struct CertsExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a certificate's public chain (PEM), or a PFX with its key.")

    @OptionGroup var options: CertsConfigOption
    @Argument(help: "Certificate name.") var name: String
    @Option(help: "Output file (default: standard output; required for pfx).") var out: String?
    @Option(help: "pem (public chain) or pfx (needs --include-private-key and --password-file).") var format = "pem"
    @Flag(help: "Put the private key in the PFX.") var includePrivateKey = false
    @Option(help: "File whose first line is the PFX password.") var passwordFile: String?

    func run() throws {
        let (_, store) = try self.options.store()
        switch self.format {
        case "pem":
            guard !self.includePrivateKey else { CertsOutput.fail("PEM export never includes the private key; use --format pfx") }
            let pem = CertsOutput.run { try CertificateExporter.chainPEM(store: store, name: self.name) }
            if let out = self.out {
                CertsOutput.run { try AtomicFile.write(Array(pem.utf8), to: out, mode: 0o644) }
            } else {
                print(pem, terminator: "")
            }
        case "pfx":
            guard self.includePrivateKey, let passwordFile = self.passwordFile, let out = self.out else {
                CertsOutput.fail("--format pfx exports the private key: it needs --include-private-key, --password-file and --out")
            }
            let password = CertsOutput.run { try Self.password(passwordFile) }
            let bytes = CertsOutput.run { try CertificateExporter.pkcs12(store: store, name: self.name, password: password) }
            CertsOutput.run { try AtomicFile.write(bytes, to: out, mode: 0o600) }
        default:
            CertsOutput.fail("unknown format \"\(self.format)\"; use pem or pfx")
        }
    }

    /// The first line of the password file.
    private static func password(_ path: String) throws -> String {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }
}
