import Testing

@testable import PortcullisConfig

/// `[admin]`: defaults, and the rules that keep the token off the network.
@Suite struct AdminConfigTests {
    static let base = """
        [server]
        state_dir = "/var/lib/portcullis"
        [[listener]]
        bind = "127.0.0.1:8443"
        tls = true
        [[site]]
        hosts = ["a.test"]
        respond = "ok"

        """

    func load(_ admin: String) throws(ConfigErrors) -> ProxyConfig {
        try ConfigLoader.parse(text: Self.base + admin, path: "/etc/proxy.conf")
    }

    @Test func absentMeansOff() throws {
        #expect(try self.load("").admin == nil)
    }

    @Test func defaults() throws {
        let admin = try #require(try self.load("[admin]\n").admin)
        #expect(admin.bind == SocketAddressSpec(host: "127.0.0.1", port: 9180))
        #expect(admin.tokenFile == "/var/lib/portcullis/admin.token")
        #expect(!admin.tls && !admin.allowRemote && admin.metricsToken)
        #expect(admin.sessionLifetime == 12 * 3600)
        #expect(admin.line == 9)
    }

    @Test func everyKey() throws {
        let text = """
            [admin]
            bind = "[::]:9443"
            token_file = "/run/secrets/admin"
            tls = true
            certificate = "admin-cert"
            allow_remote = true
            metrics_token = false
            session_lifetime = "30m"
            """
        let admin = try #require(try self.load(text).admin)
        #expect(admin.bind == SocketAddressSpec(host: "::", port: 9443))
        #expect(admin.tokenFile == "/run/secrets/admin")
        #expect(admin.tls && admin.allowRemote && !admin.metricsToken)
        #expect(admin.certificate == "admin-cert")
        #expect(admin.sessionLifetime == 1800)
    }

    @Test(arguments: [
        ("[admin]\nbind = \"0.0.0.0:9180\"\n", "/etc/proxy.conf:10: [admin].bind: 0.0.0.0:9180 is not a loopback address"),
        ("[admin]\nbind = \"0.0.0.0:9180\"\nallow_remote = true\n", "/etc/proxy.conf:11: [admin].allow_remote: allow_remote = true requires tls = true"),
        ("[admin]\ntls = true\n", "/etc/proxy.conf:10: [admin].tls: tls = true requires certificate"),
        ("[admin]\ncolour = 1\n", "/etc/proxy.conf:10: [admin].colour:"),
    ])
    func refused(text: String, expected: String) throws {
        do {
            _ = try self.load(text)
            Issue.record("loaded: \(text)")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }
}
