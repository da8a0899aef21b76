import ArgumentParser
import Foundation
import PortcullisConfig
import PortcullisServer

/// `portcullis validate`: check a configuration without starting anything (no port is bound and
/// the store is not written), by running the same build as `run`.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check a configuration file and exit 0 (valid) or 1 (errors).")

    @Option(name: .long, help: "Path to proxy.conf.")
    var config = "proxy.conf"

    func run() throws {
        do {
            let loaded = try ConfigLoader.load(path: self.config, options: PoliciesValidation.loaderOptions)
            try PoliciesValidation.check(loaded)
            // The build `run` performs at start, against a store that is never written.
            try ControlPlane.validate(configPath: self.config)
            CertsValidation.report(loaded)
            print("\(self.config): configuration OK")
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
