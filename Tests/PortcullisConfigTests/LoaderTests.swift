import Testing

@testable import PortcullisConfig

/// Values a valid document decodes to.
@Suite struct LoaderTests {
    /// A document that sets every key, with values differing from the defaults.
    static let everyKey = """
        [server]
        state_dir = "/var/lib/portcullis"
        workers = 4
        access_log = "off"
        access_log_format = "json"
        log_level = "debug"
        handshake_timeout = "500ms"
        request_head_timeout = 20
        idle_timeout = 1.5
        upstream_connect_timeout = "2s"
        upstream_response_timeout = "2m"
        drain_timeout = "1h"
        max_request_line = 1000
        max_header_bytes = 2000
        max_header_count = 30
        max_connections = 40
        max_body_bytes = 1048576
        [tls]
        default_policy = "modern"
        expiry_warning_days = 30
        [[listener]]
        bind = "[::]:0"
        tls = true
        default_certificate = "_wildcard.example.com"
        policy = "compat"
        [[site]]
        hosts = ["*.Example.com", "EXAMPLE.com"]
        certificate = "acme"
        upstreams = ["[::1]:3000", "backend:3001"]
        hsts = "max-age=60"
        policy = "modern"
        [acme]
        directory = "https://127.0.0.1:14000/dir"
        email = "ops@example.com"
        agree_tos = true
        ca_file = "pebble.pem"
        key_type = "rsa2048"
        renew_remaining = 0.5
        dns_hook = "hooks/dns.sh"
        eab_kid = "kid-1"
        eab_hmac_key = "c2VjcmV0"
        resolver = "[::1]:8053"
        """

    /// A document setting every key decodes each one.
    @Test func decodesEveryKey() throws {
        let config = try ConfigLoader.parse(text: Self.everyKey, path: "/p/proxy.conf")
        var timeouts = Timeouts()
        (timeouts.handshake, timeouts.requestHead, timeouts.idle) = (0.5, 20, 1.5)
        (timeouts.upstreamConnect, timeouts.upstreamResponse, timeouts.drain) = (2, 120, 3600)
        var limits = Limits()
        (limits.maxRequestLine, limits.maxHeaderBytes, limits.maxHeaderCount) = (1000, 2000, 30)
        (limits.maxConnections, limits.maxBodyBytes) = (40, 1_048_576)
        let server = ServerSettings(
            stateDir: "/var/lib/portcullis", workers: 4, accessLog: "off", accessLogFormat: .json, logLevel: "debug",
            timeouts: timeouts, limits: limits)
        #expect(config.server == server)
        #expect(config.tls.defaultPolicy == "modern" && config.tls.expiryWarningDays == 30)
        let listener = ListenerConfig(
            bind: SocketAddressSpec(host: "::", port: 0), tls: true, defaultCertificate: "_wildcard.example.com",
            policy: "compat", line: 21)
        #expect(config.listeners == [listener])
        let site = SiteConfig(
            hosts: ["*.example.com", "example.com"], certificate: "acme",
            upstreams: [SocketAddressSpec(host: "::1", port: 3000), SocketAddressSpec(host: "backend", port: 3001)],
            hsts: "max-age=60", policy: "modern", line: 26)
        #expect(config.sites == [site])
        var acme = ACMESettings()
        (acme.directory, acme.email, acme.agreeTOS) = ("https://127.0.0.1:14000/dir", "ops@example.com", true)
        (acme.caFile, acme.keyType, acme.renewRemaining) = ("/p/pebble.pem", "rsa2048", 0.5)
        (acme.dnsHook, acme.eabKID, acme.eabHMACKey, acme.line) = ("/p/hooks/dns.sh", "kid-1", "c2VjcmV0", 32)
        acme.resolver = "[::1]:8053"
        #expect(config.acme == acme)
    }

    /// Port 0 may be bound by several listeners: each gets its own free port.
    @Test func portZeroMayRepeat() throws {
        let listener = "[[listener]]\nbind = \"127.0.0.1:0\"\ntls = true\n"
        let text = listener + listener + "[[site]]\nhosts = [\"a\"]\nrespond = \"x\""
        let config = try ConfigLoader.parse(text: text, path: "proxy.conf")
        #expect(config.listeners.count == 2)
    }

    /// Inline arrays of tables work too; errors then fall back to the line naming the array.
    @Test func inlineTables() {
        let text = "listener = [{ bind = \"127.0.0.1:1\", tls = true }]\nsite = [{ hosts = [\"a\"] }]"
        let errors = Fixtures.errors(text)
        #expect(errors.count == 1)
        #expect(errors.first?.description.hasPrefix("proxy.conf:2: [[site]]: expected respond") == true)
    }
}
