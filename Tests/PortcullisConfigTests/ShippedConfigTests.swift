import Foundation
import Testing

@testable import PortcullisConfig

/// The `proxy.conf` at the package root: it must load unchanged, and uncommenting its reference entries
/// must give exactly the documented defaults.
@Suite struct ShippedConfigTests {
    /// The shipped file loads and has the behaviour README, configuration promises.
    @Test func shippedConfigLoads() throws {
        let path = Fixtures.shippedConfigPath
        let config = try ConfigLoader.load(path: path)
        let folder = String(path.dropLast("/proxy.conf".count))
        #expect(config.sourcePath == path)
        #expect(config.server.stateDir == folder + "/state")
        #expect(config.server.workers == 0)
        #expect(config.tls.defaultPolicy == "mozilla-intermediate")
        #expect(config.listeners.count == 2)
        #expect(config.listeners[0].bind == SocketAddressSpec(host: "127.0.0.1", port: 8443))
        #expect(config.listeners[0].tls)
        #expect(config.listeners[0].defaultCertificate == "localhost")
        #expect(config.listeners[1].bind == SocketAddressSpec(host: "127.0.0.1", port: 8080))
        #expect(!config.listeners[1].tls)
        #expect(config.listeners[1].httpsRedirectPort == 8443)
        #expect(config.sites.count == 1)
        #expect(config.sites[0].hosts == ["localhost"])
        #expect(config.sites[0].certificate == "self-signed")
        #expect(config.sites[0].certificateName == "localhost")
        #expect(config.sites[0].respond == "Portcullis is running\n")
        #expect(config.sites[0].upstreams.isEmpty)
        #expect(config.admin?.bind == SocketAddressSpec(host: "127.0.0.1", port: 9180))
        #expect(config.admin?.tokenFile == folder + "/state/admin.token")
    }

    /// Every commented-out `key = value` (and the example site) is valid and states the real default.
    @Test func uncommentedReferenceMatchesDefaults() throws {
        let text = try Self.uncommented(String(contentsOfFile: Fixtures.shippedConfigPath, encoding: .utf8))
        let config = try ConfigLoader.parse(text: text, path: "proxy.conf", options: Fixtures.options)
        #expect(config.server.timeouts == Timeouts())
        #expect(config.server.limits == Limits())
        #expect(config.server.accessLog == "stdout")
        #expect(config.server.accessLogFormat == .combined)
        #expect(config.server.logLevel == "info")
        #expect(config.tls == TLSSettings())
        #expect(config.listeners[0].policy == "mozilla-intermediate")
        #expect(config.sites.count == 2)
        #expect(config.sites[1].hosts == ["app.example.com", "*.example.com"])
        #expect(
            config.sites[1].upstreams == [
                SocketAddressSpec(host: "127.0.0.1", port: 3000), SocketAddressSpec(host: "127.0.0.1", port: 3001),
            ])
        #expect(config.sites[1].hsts == "max-age=31536000")
        var acme = ACMESettings()
        acme.line = config.acme?.line ?? -1
        #expect(config.acme == acme)
    }

    /// Strips `# ` from lines that hold a commented-out assignment or a `[[site]]` or `[acme]` header.
    static func uncommented(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            guard line.hasPrefix("# ") else { return line }
            let body = line.dropFirst(2)
            if body == "[[site]]" || body == "[acme]" { return body }
            let key = body.prefix { $0.isLetter || $0 == "_" }
            return !key.isEmpty && body.dropFirst(key.count).hasPrefix(" = ") ? body : line
        }
        return lines.joined(separator: "\n")
    }
}
