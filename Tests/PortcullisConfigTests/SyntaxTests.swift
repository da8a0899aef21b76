import Testing

@testable import PortcullisConfig

/// Durations, host names, addresses and IP literals.
@Suite struct SyntaxTests {
    /// Duration strings with units, in seconds.
    @Test(arguments: [("500ms", 0.5), ("30s", 30.0), ("5m", 300.0), ("1h", 3600.0), ("1.5s", 1.5), ("250ms", 0.25)])
    func parsesDuration(_ text: String, _ seconds: Double) {
        #expect(DurationSyntax.seconds(from: text) == seconds)
    }

    /// Anything else is not a duration string.
    @Test(arguments: ["", "5", "s", "-1s", "0s", "0ms", "1.s", ".5s", "5 m", "1e3s", "infs", "5d", "1.2.3s", "+3s"])
    func rejectsDuration(_ text: String) {
        #expect(DurationSyntax.seconds(from: text) == nil)
    }

    /// Durations through the loader: strings, integers and floats all become seconds.
    @Test(arguments: [("\"500ms\"", 0.5), ("\"5m\"", 300.0), ("12", 12.0), ("2.5", 2.5)])
    func loadsDuration(_ value: String, _ seconds: Double) throws {
        let text = "[server]\nidle_timeout = \(value)\n" + Fixtures.listenerAndSite
        let config = try ConfigLoader.parse(text: text, path: "proxy.conf", options: Fixtures.options)
        #expect(config.server.timeouts.idle == seconds)
    }

    /// Host names a site may list (already lower-cased).
    @Test(arguments: [
        "localhost", "intranet", "example.com", "*.example.com", "a-b.c-d.example", "xn--bcher-kva.example",
        "127.0.0.1", String(repeating: "a", count: 63) + ".example",
    ])
    func acceptsHostName(_ host: String) {
        #expect(HostNameSyntax.problem(with: host) == nil)
    }

    /// Host names a site may not list.
    @Test(arguments: [
        "", "*", "*.com", "a.*.example.com", "*example.com", "**.example.com", "-a.example", "a-.example",
        "a..example", "a.example.", ".example", "ex_ample.com", "bücher.example", "a b.example",
        String(repeating: "a", count: 64) + ".example", String(repeating: "abcdefghi.", count: 25) + "example",
    ])
    func rejectsHostName(_ host: String) {
        #expect(HostNameSyntax.problem(with: host) != nil)
    }

    /// Addresses that parse, with their host and port.
    @Test(arguments: [
        ("127.0.0.1:8443", AddressSyntax.Role.bind, "127.0.0.1", 8443), ("0.0.0.0:0", .bind, "0.0.0.0", 0),
        ("[::1]:8443", .bind, "::1", 8443), ("[::]:443", .bind, "::", 443),
        ("[2001:DB8::1]:80", .bind, "2001:db8::1", 80), ("localhost:3000", .upstream, "localhost", 3000),
        ("App.Internal:65535", .upstream, "app.internal", 65535), ("10.0.0.2:1", .upstream, "10.0.0.2", 1),
        ("[::ffff:192.0.2.1]:3000", .upstream, "::ffff:192.0.2.1", 3000),
    ])
    func parsesAddress(_ text: String, _ role: AddressSyntax.Role, _ host: String, _ port: Int) throws {
        #expect(try AddressSyntax.parse(text, role: role) == SocketAddressSpec(host: host, port: port))
    }

    /// Addresses that do not.
    @Test(arguments: [
        ("127.0.0.1", AddressSyntax.Role.bind), ("localhost:80", .bind), ("::1:80", .bind), ("[::1]80", .bind),
        ("[::1:80", .bind), ("[not-ip]:80", .bind), ("127.0.0.1:65536", .bind), ("127.0.0.1:-1", .bind),
        ("127.0.0.1:http", .bind), ("127.0.0.1:", .bind), ("256.0.0.1:80", .bind), ("1.2.3:80", .bind),
        ("127.0.0.1:0", .upstream), ("bad_name:80", .upstream), (":80", .upstream), ("*.example.com:80", .upstream),
    ])
    func rejectsAddress(_ text: String, _ role: AddressSyntax.Role) {
        #expect(throws: AddressSyntax.Problem.self) { try AddressSyntax.parse(text, role: role) }
    }

    /// IPv6 literal forms.
    @Test(arguments: [
        ("::", true), ("::1", true), ("1::", true), ("2001:db8::8:800:200c:417a", true),
        ("1:2:3:4:5:6:7:8", true), ("::ffff:10.0.0.1", true), ("1:2:3:4:5:6:7::", true),
        ("1:2:3:4:5:6:7:8:9", false), ("1::2::3", false), ("12345::", false), ("g::", false), (":", false),
        ("1:2:3:4:5:6:7", false), ("::1.2.3.4:5", false), ("fe80::1%eth0", false), ("", false),
    ])
    func recognisesIPv6(_ text: String, _ valid: Bool) {
        #expect(IPAddressSyntax.isIPv6(text) == valid)
    }
}
