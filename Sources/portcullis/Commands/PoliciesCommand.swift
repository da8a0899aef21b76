import ArgumentParser
import Foundation
import PortcullisCertificates
import PortcullisConfig
import PortcullisTLS

/// `portcullis policies`: the security-policy catalogue (list, show, diff) and a live check of an endpoint.
struct PoliciesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policies", abstract: "List, show, compare and check TLS security policies.",
        subcommands: [PoliciesList.self, PoliciesShow.self, PoliciesDiff.self, PoliciesCheck.self])
}

/// Options shared by the subcommands that may name `[[policy]]` tables.
struct PolicySource: ParsableArguments {
    @Option(name: .long, help: "Also know the [[policy]] tables of this proxy.conf.")
    var config: String?

    /// The resolver for the catalogue plus the config's custom policies.
    func table() throws -> PolicyTable? {
        guard let path = self.config else { return nil }
        return PolicyTable(config: try ConfigLoader.load(path: path))
    }

    /// Resolves `name` (custom names need `--config`); refused presets are shown as errors.
    func resolve(_ name: String) throws -> ResolvedPolicy {
        try (self.table()?.resolver ?? PolicyResolver()).resolve(name)
    }

    /// The policy values for display: resolved when possible, else the raw preset (with why it is refused).
    func describe(_ name: String) throws -> (policy: SecurityPolicy, status: String) {
        do {
            let resolved = try self.resolve(name)
            let status =
                resolved.degradations.isEmpty
                ? "honoured in full by \(OpenSSLCapabilities.versionText)"
                : "degraded on \(OpenSSLCapabilities.versionText): " + resolved.degradations.joined(separator: "; ")
            return (resolved.policy, status)
        } catch let error as PolicyError {
            guard let preset = PolicyCatalogue.preset(named: name) else { throw ValidationError(error.description) }
            return (preset, "refused: " + error.description)
        }
    }
}

/// `portcullis policies list`.
struct PoliciesList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every preset and alias.")

    @OptionGroup var source: PolicySource

    func run() throws {
        var rows: [[String]] = [["NAME", "VERSIONS", "TLS1.2 CIPHERS", "ORDER", "STATUS"]]
        var names = PolicyCatalogue.names
        if let table = try self.source.table() { names = table.knownNames }
        for name in names {
            let (policy, status) = try self.source.describe(name)
            let short = status.hasPrefix("honoured") ? "ok" : (status.hasPrefix("degraded") ? "degraded" : "refused")
            let alias = PolicyCatalogue.aliasTarget(name).map { " -> \($0)" } ?? ""
            rows.append([
                name + alias, PolicyText.versions(policy), "\(policy.ciphers.count)",
                policy.serverPreference ? "server" : "client", short,
            ])
        }
        print(PolicyText.table(rows), terminator: "")
    }
}

/// `portcullis policies show NAME`.
struct PoliciesShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show everything in one policy, ciphers in order.")

    @Argument(help: "Policy name (preset, alias, or a [[policy]] with --config).")
    var name: String

    @OptionGroup var source: PolicySource

    func run() throws {
        let (policy, status) = try self.source.describe(self.name)
        print(PolicyText.show(policy, status: status), terminator: "")
    }
}

/// `portcullis policies diff A B`.
struct PoliciesDiff: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "Compare two policies.")

    @Argument(help: "First policy.")
    var first: String
    @Argument(help: "Second policy.")
    var second: String

    @OptionGroup var source: PolicySource

    func run() throws {
        let a = try self.source.describe(self.first).policy
        let b = try self.source.describe(self.second).policy
        let lines = PolicyText.diff(a, b)
        print("--- \(a.name)\n+++ \(b.name)")
        print(lines.isEmpty ? "no differences" : lines.joined(separator: "\n"))
    }
}
