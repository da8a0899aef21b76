import Foundation
import PortcullisCertificates
import PortcullisConfig

/// The certificate part of `portcullis validate`: warnings on stdout, errors on stderr (exit 1).
enum CertsValidation {
    /// Prints the findings for `config`; exits 1 if any is an error.
    static func report(_ config: ProxyConfig) {
        let store = CertificateStore(layout: StoreLayout(stateDir: config.server.stateDir))
        let findings = CertificateConfigCheck.findings(config: config, store: store)
        for finding in findings where !finding.isError { print(finding.description) }
        let errors = findings.filter(\.isError)
        for finding in errors { FileHandle.standardError.write(Data("\(finding.description)\n".utf8)) }
        if !errors.isEmpty { Foundation.exit(1) }
    }
}
