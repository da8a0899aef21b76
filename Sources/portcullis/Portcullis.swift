import ArgumentParser

/// The `portcullis` command line.
@main
struct Portcullis: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portcullis",
        abstract: "A TLS-terminating reverse proxy with built-in certificate management.",
        subcommands: [
            RunCommand.self, ValidateCommand.self, CertsCommand.self, PoliciesCommand.self, ACMECommand.self,
            DashboardLinkCommand.self, DomainsCommand.self,
        ]
    )
}
