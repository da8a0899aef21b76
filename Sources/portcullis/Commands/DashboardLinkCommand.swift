import ArgumentParser
import Foundation
import PortcullisConfig

/// `portcullis dashboard-link`: prints the dashboard's sign-in link, which carries the admin token in
/// the URL fragment. Browsers never send a fragment to the server, so it reaches no log; the page trades
/// it for a session cookie at once and removes it from the address bar and history.
struct DashboardLinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard-link", abstract: "Print the admin dashboard's sign-in link (needs [admin]).")

    @Option(help: "Path to proxy.conf.") var config = "proxy.conf"
    @Option(help: "Seconds to wait for the token file, which the proxy creates on its first start.")
    var wait: Double = 0

    func run() throws {
        let config: ProxyConfig
        do { config = try ConfigLoader.load(path: self.config) } catch { CertsOutput.fail("\(error)") }
        guard let admin = config.admin else {
            CertsOutput.fail("\(self.config) has no [admin] section, so there is no dashboard")
        }
        guard admin.bind.port != 0 else {
            CertsOutput.fail("[admin] bind uses port 0; the dashboard's port is in the ready file (--ready-file)")
        }
        let token = try self.readToken(admin.tokenFile)
        print("dashboard: \(Self.link(admin: admin, token: token))")
        print("  (signs this browser in once; the token stays in \(admin.tokenFile))")
    }

    /// `http://127.0.0.1:9180/#signin=<token>`; a wildcard bind is reached on loopback.
    static func link(admin: AdminSettings, token: String) -> String {
        var host = admin.bind.host
        if host == "0.0.0.0" { host = "127.0.0.1" } else if host == "::" { host = "::1" }
        let address = SocketAddressSpec(host: host, port: admin.bind.port).description
        return (admin.tls ? "https://" : "http://") + address + "/#signin=" + token
    }

    /// The token file's first line, waiting up to `wait` seconds for it to appear.
    private func readToken(_ path: String) throws -> String {
        let deadline = Date().addingTimeInterval(self.wait)
        while true {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                let token = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
                if !token.isEmpty { return token }
            }
            if Date() >= deadline { CertsOutput.fail("cannot read the admin token file \(path); start the proxy once to create it") }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }
}
