import ArgumentParser
import Foundation
import PortcullisCertificates
import PortcullisConfig

/// `portcullis certs …`: the certificate store, with or without a running proxy (which notices every
/// change through inotify).
struct CertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certs", abstract: "Import, generate, list, export, remove and roll back certificates.",
        subcommands: [
            CertsImportCommand.self, CertsSelfsignCommand.self, CertsListCommand.self, CertsExportCommand.self,
            CertsRemoveCommand.self, CertsRollbackCommand.self, CertsRenewCommand.self, CertsRevokeCommand.self,
        ])
}

/// `--config FILE`, shared by every `certs` subcommand.
struct CertsConfigOption: ParsableArguments {
    @Option(name: .long, help: "Path to proxy.conf (its state_dir holds the store).")
    var config = "proxy.conf"

    /// The loaded configuration, or exit 1 with its errors.
    func load() throws -> ProxyConfig {
        do {
            return try ConfigLoader.load(path: self.config)
        } catch {
            CertsOutput.fail("\(error)")
        }
    }

    /// The configuration and its store.
    func store() throws -> (ProxyConfig, CertificateStore) {
        let config = try self.load()
        return (config, CertificateStore(layout: StoreLayout(stateDir: config.server.stateDir)))
    }
}

/// How the `certs` commands talk to the operator: results on stdout, warnings and errors on stderr.
enum CertsOutput {
    /// `portcullis: <sentence>` on stderr, exit 1.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("portcullis: \(message)\n".utf8))
        Foundation.exit(1)
    }

    /// `warning: <sentence>` on stderr.
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }

    /// Runs `body`, turning any thrown error into `fail`.
    static func run<T>(_ body: () throws -> T) -> T {
        do {
            return try body()
        } catch {
            self.fail("\(error)")
        }
    }

    /// `imported "shop" (a.example, b.example), expires 2027-01-01, status valid`.
    static func describe(_ verb: String, _ row: CertificateStatusRow) -> String {
        "\(verb) \"\(row.name)\" (\(row.domains.joined(separator: ", "))), expires \(row.notAfter.prefix(10)), "
            + "status \(row.status)"
    }
}
