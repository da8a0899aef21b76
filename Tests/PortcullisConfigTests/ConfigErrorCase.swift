import Testing

/// One bad document and the error it must produce: `line` and `key` exactly, `fragment` inside the message.
struct ConfigErrorCase: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var line: Int
    var key: String
    var fragment: String

    /// Shown by Swift Testing for each table row.
    var testDescription: String { self.name }

    /// Every table row.
    static let all: [ConfigErrorCase] = Self.general + Self.listeners + Self.sites

    /// Syntax, structure and `[server]` / `[tls]` values.
    static let general: [ConfigErrorCase] = [
        .init(name: "resolver is a host name", text: Fixtures.listenerAndSite + "\n[acme]\nresolver = \"dns.test:53\"",
            line: 8, key: "[acme].resolver", fragment: "\"dns.test\" is not an IP address"),
        .init(name: "watch_interval too short", text: Fixtures.listenerAndSite + "\n[acme]\nwatch_interval = \"100ms\"",
            line: 8, key: "[acme].watch_interval", fragment: "at least 1s"),
        .init(name: "site_template with hosts", text: Fixtures.listenerAndSite + "\n[[site_template]]\nhosts = [\"a.test\"]\nrespond = \"x\"",
            line: 8, key: "[[site_template]].hosts", fragment: "unknown key"),
        .init(name: "site_template without content", text: Fixtures.listenerAndSite + "\n[[site_template]]\nhsts = \"max-age=1\"",
            line: 7, key: "[[site_template]]", fragment: "found neither"),
        .init(name: "on_demand without ask", text: "[[listener]]\nbind = \"127.0.0.1:8443\"\ntls = true\non_demand = true\n[[site]]\nhosts = [\"a.test\"]\nrespond = \"x\"",
            line: 4, key: "[[listener]].on_demand", fragment: "on_demand needs [acme] ask"),
        .init(name: "on_demand without site_template", text: "[[listener]]\nbind = \"127.0.0.1:8443\"\ntls = true\non_demand = true\n[[site]]\nhosts = [\"a.test\"]\nrespond = \"x\"\n[acme]\nask = \"http://127.0.0.1:5555/allowed\"",
            line: 4, key: "[[listener]].on_demand", fragment: "needs a [[site_template]]"),
        .init(name: "ask not http", text: Fixtures.listenerAndSite + "\n[acme]\nask = \"ftp://x\"",
            line: 8, key: "[acme].ask", fragment: "expected an http:// URL"),
        .init(name: "resolver without port", text: Fixtures.listenerAndSite + "\n[acme]\nresolver = \"127.0.0.1\"",
            line: 8, key: "[acme].resolver", fragment: "has no port"),
        .init(name: "TOML syntax error", text: "[server]\nworkers = \n" + Fixtures.listenerAndSite,
            line: 2, key: "", fragment: "invalid TOML"),
        .init(name: "unknown key with suggestion", text: "[server]\nwokers = 4\n" + Fixtures.listenerAndSite,
            line: 2, key: "[server].wokers", fragment: "unknown key; did you mean \"workers\"?"),
        .init(name: "unknown top-level table", text: Fixtures.listenerAndSite + "\n[metrics]\nemail = \"a@b.c\"",
            line: 7, key: "metrics", fragment: "unknown key"),
        .init(name: "wrong type for workers", text: "[server]\nworkers = \"4\"\n" + Fixtures.listenerAndSite,
            line: 2, key: "[server].workers", fragment: "0 or more (0 = one per core), found a string"),
        .init(name: "negative workers", text: "[server]\nworkers = -1\n" + Fixtures.listenerAndSite,
            line: 2, key: "[server].workers", fragment: "found -1"),
        .init(name: "unknown log level", text: "[server]\nlog_level = \"verbose\"\n" + Fixtures.listenerAndSite,
            line: 2, key: "[server].log_level", fragment: "found \"verbose\""),
        .init(name: "bad duration string", text: "[server]\n\nidle_timeout = \"5 min\"\n" + Fixtures.listenerAndSite,
            line: 3, key: "[server].idle_timeout", fragment: "such as \"500ms\", \"30s\" or \"5m\", found \"5 min\""),
        .init(name: "negative duration", text: "[server]\ndrain_timeout = -1.5\n" + Fixtures.listenerAndSite,
            line: 2, key: "[server].drain_timeout", fragment: "found -1.5"),
        .init(name: "duration of wrong type",
            text: "[server]\nidle_timeout = 1\ndrain_timeout = true\n" + Fixtures.listenerAndSite,
            line: 3, key: "[server].drain_timeout", fragment: "found a boolean"),
        .init(name: "zero limit", text: "[server]\nmax_connections = 0\n" + Fixtures.listenerAndSite,
            line: 2, key: "[server].max_connections", fragment: "expected a positive integer, found 0"),
        .init(name: "expiry days zero", text: "[tls]\nexpiry_warning_days = 0\n" + Fixtures.listenerAndSite,
            line: 2, key: "[tls].expiry_warning_days", fragment: "found 0"),
        .init(name: "server as array of tables", text: "[[server]]\nworkers = 1\n" + Fixtures.listenerAndSite,
            line: 1, key: "server", fragment: "expected a table ([server]), found an array"),
        .init(name: "no sites", text: "# empty\n[[listener]]\nbind = \"127.0.0.1:1\"\ntls = false\n",
            line: 1, key: "[[site]]", fragment: "at least one [[site]] table"),
    ]

    /// `[[listener]]` problems (`[[listener]]` is line 1; a valid site follows the body).
    static let listeners: [ConfigErrorCase] = [
        .listener("missing tls", "bind = \"127.0.0.1:8443\"",
            line: 1, key: "[[listener]].tls", fragment: "required key is missing; expected true or false"),
        .listener("missing bind", "tls = true",
            line: 1, key: "[[listener]].bind", fragment: "required key is missing; expected an address like"),
        .listener("tls of wrong type", "bind = \"127.0.0.1:80\"\ntls = \"no\"",
            line: 3, key: "[[listener]].tls", fragment: "expected true or false, found a string"),
        .listener("address without port", "bind = \"127.0.0.1\"\ntls = true",
            line: 2, key: "[[listener]].bind", fragment: "has no port"),
        .listener("bind to a name", "bind = \"localhost:8443\"\ntls = true",
            line: 2, key: "[[listener]].bind", fragment: "\"localhost\" is not an IP address"),
        .listener("IPv6 without brackets", "bind = \"::1:8443\"\ntls = true",
            line: 2, key: "[[listener]].bind", fragment: "need brackets"),
        .listener("port out of range", "bind = \"127.0.0.1:70000\"\ntls = true",
            line: 2, key: "[[listener]].bind", fragment: "port 70000 is out of range 0–65535"),
        .listener("redirect port zero", "bind = \"127.0.0.1:80\"\ntls = false\nhttps_redirect_port = 0",
            line: 4, key: "[[listener]].https_redirect_port", fragment: "expected a port from 1 to 65535, found 0"),
        .listener("same bind twice", "bind = \"127.0.0.1:80\"\ntls = false\n[[listener]]\nbind = \"127.0.0.1:80\"",
            line: 5, key: "[[listener]].bind", fragment: "\"127.0.0.1:80\" is bound twice: at line 2 and line 5"),
        .listener("unknown default certificate", "bind = \"127.0.0.1:1\"\ntls = true\ndefault_certificate = \"x.y\"",
            line: 4, key: "[[listener]].default_certificate",
            fragment: "no site uses the certificate \"x.y\"; expected one of \"a\""),
    ]

    /// `[[site]]` problems (the listener is lines 1–3).
    static let sites: [ConfigErrorCase] = [
        .site("hosts as a string", "hosts = \"localhost\"\nrespond = \"\"",
            line: 5, key: "[[site]].hosts", fragment: "expected an array of host names, found a string"),
        .site("challenge without acme", "hosts = [\"a.test\"]\nrespond = \"\"\nchallenge = \"tls-alpn-01\"",
            line: 7, key: "[[site]].challenge", fragment: "challenge needs certificate = \"acme\""),
        .site("unknown challenge", "hosts = [\"a.test\"]\ncertificate = \"acme\"\nrespond = \"\"\nchallenge = \"tls-sni-01\"",
            line: 8, key: "[[site]].challenge", fragment: "one of \"http-01\", \"tls-alpn-01\", \"dns-01\""),
        .site("dns-01 challenge without hook", "hosts = [\"a.test\"]\ncertificate = \"acme\"\nrespond = \"\"\nchallenge = \"dns-01\"",
            line: 8, key: "[[site]].challenge", fragment: "needs [acme] dns_hook"),
        .site("missing hosts", "respond = \"\"",
            line: 4, key: "[[site]].hosts", fragment: "required key is missing"),
        .site("empty hosts", "hosts = []\nrespond = \"\"",
            line: 5, key: "[[site]].hosts", fragment: "found an empty array"),
        .site("bad wildcard", "hosts = [\"*.com\"]\nrespond = \"\"",
            line: 5, key: "[[site]].hosts", fragment: "wildcard must be the whole leftmost label"),
        .site("wildcard not leftmost", "hosts = [\n  \"ok.example\",\n  \"a.*.example.com\",\n]\nrespond = \"\"",
            line: 7, key: "[[site]].hosts", fragment: "wildcard"),
        .site("host with underscore", "hosts = [\"ex_ample.com\"]\nrespond = \"\"",
            line: 5, key: "[[site]].hosts", fragment: "only letters, digits, hyphens and dots"),
        .site("duplicate host across sites",
            "hosts = [\"a.example\"]\nrespond = \"\"\n[[site]]\nhosts = [\"b\", \"A.eXample\"]",
            line: 8, key: "[[site]].hosts", fragment: "host \"a.example\" is listed twice: at line 5 and line 8"),
        .site("duplicate beside a bad host", "hosts = [\"a.b\"]\nrespond = \"\"\n[[site]]\nhosts = [\"-x\", \"a.b\"]",
            line: 8, key: "[[site]].hosts", fragment: "host \"a.b\" is listed twice: at line 5 and line 8"),
        .site("duplicate host in one site", "hosts = [\n  \"a.example\",\n  \"a.example\",\n]\nrespond = \"\"",
            line: 7, key: "[[site]].hosts", fragment: "at line 6 and line 7"),
        .site("respond and upstreams", "hosts = [\"a\"]\nrespond = \"\"\nupstreams = [\"127.0.0.1:3000\"]",
            line: 7, key: "[[site]].upstreams", fragment: "either respond or upstreams, not both"),
        .site("neither respond nor upstreams", "hosts = [\"a\"]\ncertificate = \"acme\"",
            line: 4, key: "[[site]]", fragment: "found neither"),
        .site("empty upstreams", "hosts = [\"a\"]\nupstreams = []",
            line: 6, key: "[[site]].upstreams", fragment: "found an empty array"),
        .site("upstream port zero", "hosts = [\"a\"]\nupstreams = [\n  \"127.0.0.1:3000\",\n  \"127.0.0.1:0\",\n]",
            line: 8, key: "[[site]].upstreams", fragment: "port 0 is out of range 1–65535"),
        .site("unknown site key", "hosts = [\"a\"]\nrespond = \"\"\nupstream = [\"127.0.0.1:3000\"]",
            line: 7, key: "[[site]].upstream", fragment: "did you mean \"upstreams\"?"),
    ]

    /// A case whose text is `[[listener]]` on line 1, `body` from line 2, then a valid site.
    static func listener(_ name: String, _ body: String, line: Int, key: String, fragment: String) -> Self {
        let text = "[[listener]]\n" + body + "\n[[site]]\nhosts = [\"a\"]\nrespond = \"\""
        return Self(name: name, text: text, line: line, key: key, fragment: fragment)
    }

    /// A case whose text is a TLS listener (lines 1–3), `[[site]]` on line 4, then `body` from line 5.
    static func site(_ name: String, _ body: String, line: Int, key: String, fragment: String) -> Self {
        let text = "[[listener]]\nbind = \"127.0.0.1:8443\"\ntls = true\n[[site]]\n" + body
        return Self(name: name, text: text, line: line, key: key, fragment: fragment)
    }
}
