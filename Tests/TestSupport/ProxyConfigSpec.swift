import Foundation

/// A `[[listener]]` for a test config; binds are always `127.0.0.1:0`.
public struct ListenerSpec: Sendable {
    public var tls: Bool
    public var defaultCertificate: String?
    public var httpsRedirectPort: Int?
    /// Extra raw TOML lines (`key = value`).
    public var extra: [String]

    public static func https(defaultCertificate: String? = nil, extra: [String] = []) -> ListenerSpec {
        ListenerSpec(tls: true, defaultCertificate: defaultCertificate, httpsRedirectPort: nil, extra: extra)
    }

    public static func http(httpsRedirectPort: Int? = nil, extra: [String] = []) -> ListenerSpec {
        ListenerSpec(tls: false, defaultCertificate: nil, httpsRedirectPort: httpsRedirectPort, extra: extra)
    }
}

/// A `[[site]]`: either `respond` text or `upstreams`.
public struct SiteSpec: Sendable {
    public var hosts: [String]
    public var certificate: String
    public var respond: String?
    public var upstreams: [String]
    public var hsts: String?
    public var extra: [String]

    public init(
        hosts: [String], certificate: String = "self-signed", respond: String? = nil, upstreams: [String] = [],
        hsts: String? = nil, extra: [String] = []
    ) {
        self.hosts = hosts
        self.certificate = certificate
        self.respond = respond
        self.upstreams = upstreams
        self.hsts = hsts
        self.extra = extra
    }

    public static func respond(_ hosts: [String], _ text: String) -> SiteSpec { SiteSpec(hosts: hosts, respond: text) }
    public static func proxy(_ hosts: [String], to upstreams: [String]) -> SiteSpec { SiteSpec(hosts: hosts, upstreams: upstreams) }
}

/// A whole `proxy.conf` for a test. `server` holds raw TOML values (`"workers": "1"`,
/// `"upstream_response_timeout": "1"`); the defaults keep tests quick.
public struct ProxyConfigSpec: Sendable {
    public var server: [String: String]
    public var listeners: [ListenerSpec]
    public var sites: [SiteSpec]
    /// Raw TOML appended at the end (e.g. an `[admin]` section).
    public var trailer: [String] = []

    public static let defaultServer: [String: String] = ["workers": "2", "drain_timeout": "5", "log_level": "\"info\""]

    public init(
        server: [String: String] = [:], listeners: [ListenerSpec] = [.https(), .http(httpsRedirectPort: 8443)],
        sites: [SiteSpec]
    ) {
        self.server = Self.defaultServer.merging(server) { _, new in new }
        self.listeners = listeners
        self.sites = sites
    }

    /// The TOML text; `state_dir` is `state`, next to the config file.
    public func render() -> String {
        var lines = ["# Written by ProxyUnderTest", "[server]", "state_dir = \"state\""]
        for key in self.server.keys.sorted() { lines.append("\(key) = \(self.server[key]!)") }
        lines += ["", "[tls]", "default_policy = \"mozilla-intermediate\""]
        for listener in self.listeners {
            lines += ["", "[[listener]]", "bind = \"127.0.0.1:0\"", "tls = \(listener.tls)"]
            if let name = listener.defaultCertificate { lines.append("default_certificate = \(toml(name))") }
            if let port = listener.httpsRedirectPort { lines.append("https_redirect_port = \(port)") }
            lines += listener.extra
        }
        for site in self.sites {
            lines += ["", "[[site]]", "hosts = [\(site.hosts.map(toml).joined(separator: ", "))]"]
            lines.append("certificate = \(toml(site.certificate))")
            if let text = site.respond { lines.append("respond = \(toml(text))") }
            if !site.upstreams.isEmpty { lines.append("upstreams = [\(site.upstreams.map(toml).joined(separator: ", "))]") }
            if let hsts = site.hsts { lines.append("hsts = \(toml(hsts))") }
            lines += site.extra
        }
        if !self.trailer.isEmpty { lines += [""] + self.trailer }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A TOML basic string literal.
public func toml(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
