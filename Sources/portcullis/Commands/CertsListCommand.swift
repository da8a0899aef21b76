import ArgumentParser
import Foundation
import PortcullisCertificates

/// `portcullis certs list`: the status table, or JSON with `--json`.
struct CertsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Show every certificate: domains, issuer, dates, status, where it is deployed.")

    @OptionGroup var options: CertsConfigOption
    @Flag(help: "Print a JSON array instead of a table.") var json = false

    func run() throws {
        let (config, store) = try self.options.store()
        let (rows, errors) = CertificateStatusTable.rows(store: store, config: config)
        if self.json {
            print(CertsOutput.run { try CertificateStatusTable.json(rows) }, terminator: "")
        } else {
            print(CertificateStatusTable.text(rows), terminator: "")
            // The CA's problem and the next attempt for failed ACME certificates (not in --json, whose
            // keys are fixed).
            for row in rows where row.status == CertificateStatus.failed.rawValue {
                if let order = ACMEOrderStatus.load(stateDir: config.server.stateDir, name: row.name) {
                    print(order.failureNote(name: row.name))
                }
            }
        }
        for error in errors { FileHandle.standardError.write(Data("portcullis: \(error)\n".utf8)) }
        if !errors.isEmpty { throw ExitCode(1) }
    }
}
