import ArgumentParser
import Foundation
import PortcullisCertificates

/// `portcullis certs remove`: refused while a site or listener uses the certificate, unless `--force`.
struct CertsRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a certificate (kept as the previous version for rollback).")

    @OptionGroup var options: CertsConfigOption
    @Argument(help: "Certificate name.") var name: String
    @Flag(help: "Remove it even though a site uses it.") var force = false

    func run() throws {
        let (config, store) = try self.options.store()
        let users = CertificateStatusTable.deployments(of: self.name, config: config)
        if !users.isEmpty && !self.force {
            CertsOutput.fail(
                "certificate \"\(self.name)\" is used by \(users.joined(separator: ", ")); "
                    + "change the configuration first or pass --force")
        }
        CertsOutput.run { try store.remove(name: self.name) }
        print("removed \"\(self.name)\" (restore it with: portcullis certs rollback \(self.name))")
    }
}

/// `portcullis certs rollback`: swaps the current and previous versions.
struct CertsRollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback", abstract: "Swap a certificate back to its previous version.")

    @OptionGroup var options: CertsConfigOption
    @Argument(help: "Certificate name.") var name: String

    func run() throws {
        let (config, store) = try self.options.store()
        guard store.hasPrevious(name: self.name) else {
            CertsOutput.fail("certificate \"\(self.name)\" has no previous version to roll back to")
        }
        CertsOutput.run { try store.rollback(name: self.name) }
        if let certificate = try? store.load(name: self.name),
            let row = try? CertificateStatusTable.row(certificate, config: config, now: Date())
        {
            print(CertsOutput.describe("rolled back", row))
        } else {
            print("rolled back \"\(self.name)\"")
        }
    }
}
