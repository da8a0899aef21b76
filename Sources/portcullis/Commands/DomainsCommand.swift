import ArgumentParser
import Foundation
import PortcullisCertificates
import PortcullisConfig

/// `portcullis domains …`: the DNS watch's list in the store (`<state_dir>/domains.json`). A running
/// proxy notices each change within a second and provisions a domain once its DNS points here.
struct DomainsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "domains", abstract: "Watch customer domains and deploy a site once their DNS points here.",
        subcommands: [DomainsAddCommand.self, DomainsListCommand.self, DomainsRemoveCommand.self])
}

struct DomainsAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Watch a domain until it is a CNAME to (or has the addresses of) --expect.")

    @OptionGroup var options: CertsConfigOption
    @Argument(help: "The customer's domain, e.g. shop.customer.com.") var domain: String
    @Option(help: "The name it must point at, e.g. edge.platform.net.") var expect: String

    func run() throws {
        let config = try self.options.load()
        if config.siteTemplate == nil {
            CertsOutput.fail("\(config.sourcePath): no [[site_template]]: the DNS watch has no site to deploy")
        }
        let store = WatchedDomainStore(stateDir: config.server.stateDir)
        let entry = CertsOutput.run { try store.add(domain: self.domain, expect: self.expect) }
        print("watching \"\(entry.domain)\" for \(entry.expect): \(entry.state)")
    }
}

struct DomainsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Show each watched domain and its state.")

    @OptionGroup var options: CertsConfigOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let config = try self.options.load()
        let domains = CertsOutput.run { try WatchedDomainStore(stateDir: config.server.stateDir).load() }
        if self.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: CertsOutput.run { try encoder.encode(domains) }, as: UTF8.self))
            return
        }
        let width = max(6, domains.map(\.domain.count).max() ?? 0)
        print("DOMAIN".padding(toLength: width, withPad: " ", startingAt: 0) + "  EXPECT / STATE")
        for entry in domains {
            let note = entry.lastError.map { " (last lookup: \($0))" } ?? ""
            print(
                entry.domain.padding(toLength: width, withPad: " ", startingAt: 0)
                    + "  \(entry.expect) / \(entry.state)\(note)")
        }
    }
}

struct DomainsRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Stop watching a domain (its provisioned site goes; the certificate stays in the store).")

    @OptionGroup var options: CertsConfigOption
    @Argument(help: "The domain.") var domain: String

    func run() throws {
        let config = try self.options.load()
        CertsOutput.run { try WatchedDomainStore(stateDir: config.server.stateDir).remove(domain: self.domain) }
        print("no longer watching \"\(self.domain.lowercased())\"")
    }
}
