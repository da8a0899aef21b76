/// `[acme]`: the built-in ACME client (RFC 8555).
extension ConfigDecoder {
    /// Every key `[acme]` accepts.
    static let acmeKeys = [
        "directory", "email", "agree_tos", "ca_file", "key_type", "renew_remaining", "dns_hook", "eab_kid",
        "eab_hmac_key", "resolver", "watch_interval", "ask", "on_demand_timeout",
        "on_demand_max_pending",
    ]

    /// Decodes `[acme]`; nil when the section is absent (ACME sites then use `ACMESettings()`).
    func decodeACME(_ root: TableReader) -> ACMESettings? {
        guard root.values["acme"] != nil else { return nil }
        let reader = self.table("acme", in: root)
        reader.rejectUnknownKeys(Self.acmeKeys)
        var settings = ACMESettings()
        settings.line = reader.line(of: nil)
        if let url = reader.nonEmptyString("directory", expected: "the ACME directory URL (https://…)") {
            if url.hasPrefix("https://") || url.hasPrefix("http://") {
                settings.directory = url
            } else {
                reader.report("expected the ACME directory URL (https://…), found \"\(url)\"", key: "directory")
            }
        }
        settings.email = reader.string("email", expected: "an e-mail address") ?? ""
        settings.agreeTOS = reader.bool("agree_tos") ?? false
        let caFile = reader.string("ca_file", expected: "a PEM file path, or \"\"") ?? ""
        settings.caFile = caFile.isEmpty ? "" : self.resolvePath(caFile)
        settings.keyType = reader.choice("key_type", from: ACMESettings.keyTypes) ?? "ec256"
        settings.renewRemaining = self.fraction("renew_remaining", in: reader) ?? 0.33
        let hook = reader.string("dns_hook", expected: "a command, or \"\"") ?? ""
        settings.dnsHook = hook.isEmpty || !hook.contains("/") ? hook : self.resolvePath(hook)
        settings.eabKID = reader.string("eab_kid", expected: "a key identifier, or \"\"") ?? ""
        settings.eabHMACKey = reader.string("eab_hmac_key", expected: "a base64url HMAC key, or \"\"") ?? ""
        if settings.eabKID.isEmpty != settings.eabHMACKey.isEmpty {
            reader.report("eab_kid and eab_hmac_key must be set together", key: settings.eabKID.isEmpty ? "eab_hmac_key" : "eab_kid")
        }
        settings.resolver = self.resolver(in: reader)
        self.decodeOnDemand(reader, into: &settings)
        if let interval = reader.duration("watch_interval") {
            guard interval >= 1 else {
                reader.report("watch_interval must be at least 1s", key: "watch_interval")
                return settings
            }
            settings.watchInterval = interval
        }
        return settings
    }

    /// `resolver`: the DNS server for our own lookups, `IP:port`; "" = the first of /etc/resolv.conf.
    private func resolver(in reader: TableReader) -> String {
        let expected = "a DNS server \"IP:port\", or \"\""
        guard let text = reader.string("resolver", expected: expected), !text.isEmpty else { return "" }
        do {
            let address = try AddressSyntax.parse(text, role: .nameserver)
            let host = address.host.contains(":") ? "[\(address.host)]" : address.host
            return "\(host):\(address.port)"
        } catch {
            reader.report("resolver \(error.message)", key: "resolver")
            return ""
        }
    }

    /// `ask`, `on_demand_timeout`, `on_demand_max_pending`.
    private func decodeOnDemand(_ reader: TableReader, into settings: inout ACMESettings) {
        if let ask = reader.string("ask", expected: "an http:// URL such as \"http://127.0.0.1:5555/allowed\""), !ask.isEmpty {
            if ask.hasPrefix("http://") {
                settings.ask = ask
            } else {
                reader.report("expected an http:// URL such as \"http://127.0.0.1:5555/allowed\", found \"\(ask)\"", key: "ask")
            }
        }
        if let timeout = reader.duration("on_demand_timeout") {
            if timeout > 0 {
                settings.onDemandTimeout = timeout
            } else {
                reader.report("on_demand_timeout must be more than 0", key: "on_demand_timeout")
            }
        }
        let pending = reader.int("on_demand_max_pending", in: 1...1000, expected: "a number of orders from 1 to 1000")
        settings.onDemandMaxPending = pending ?? settings.onDemandMaxPending
    }

    /// On-demand TLS orders only names the `ask` endpoint allows, so a listener cannot have it without one.
    func checkOnDemand(_ readers: [TableReader], listeners: [ListenerConfig], acme: ACMESettings?, hasTemplate: Bool) {
        for (reader, listener) in zip(readers, listeners) where listener.onDemand {
            if (acme?.ask ?? "").isEmpty {
                reader.report("on_demand needs [acme] ask = \"http://…\" (the endpoint that allows names)", key: "on_demand")
            } else if !hasTemplate {
                reader.report("on_demand needs a [[site_template]] (the site each allowed name gets)", key: "on_demand")
            }
        }
    }

    /// A number strictly between 0 and 1.
    private func fraction(_ key: String, in reader: TableReader) -> Double? {
        let expected = "a fraction of the lifetime between 0 and 1 (0.33 = renew with a third left)"
        guard let node = reader.values[key] else { return nil }
        let value: Double
        switch node {
        case .double(let number): value = number
        case .int(let number): value = Double(number)
        default: return reader.wrongType(key, expected: expected, found: node)
        }
        guard value > 0, value < 1 else { return reader.badValue(key, expected: expected, found: node) }
        return value
    }

    /// A wildcard host can only be validated by DNS-01, which needs `dns_hook`.
    func checkACMESites(_ readers: [TableReader], sites: [SiteConfig], acme: ACMESettings?) {
        guard (acme?.dnsHook ?? "").isEmpty else { return }
        for (reader, site) in zip(readers, sites) where site.challenge == "dns-01" {
            reader.report("challenge = \"dns-01\" needs [acme] dns_hook", key: "challenge")
        }
        for (reader, site) in zip(readers, sites) where site.certificate == "acme" {
            guard let wildcard = site.hosts.first(where: { $0.hasPrefix("*.") }) else { continue }
            reader.report(
                "wildcard host \"\(wildcard)\" needs DNS-01 validation: set [acme] dns_hook, or list the names",
                key: "certificate")
        }
    }
}

/// `[acme]`: how certificates for `certificate = "acme"` sites are obtained and renewed.
public struct ACMESettings: Sendable, Equatable {
    /// `key_type` values.
    public static let keyTypes = ["ec256", "ec384", "rsa2048", "rsa3072", "rsa4096"]

    /// `directory`: the CA's directory URL.
    public var directory = "https://acme-v02.api.letsencrypt.org/directory"
    /// `email`: account contact ("" = none).
    public var email = ""
    /// `agree_tos`: the CA's terms of service are accepted.
    public var agreeTOS = false
    /// `ca_file`: extra CA (absolute path) trusted for the ACME server's own TLS endpoint; "" = none.
    public var caFile = ""
    /// `key_type`: key of issued certificates.
    public var keyType = "ec256"
    /// `renew_remaining`: renew when this fraction of the lifetime is left.
    public var renewRemaining = 0.33
    /// `dns_hook`: DNS-01 command, run as `HOOK present|cleanup FQDN VALUE`; "" = no DNS-01.
    public var dnsHook = ""
    /// `eab_kid`: external account binding key id ("" = none).
    public var eabKID = ""
    /// `eab_hmac_key`: external account binding HMAC key, base64url.
    public var eabHMACKey = ""
    /// `resolver`: DNS server (`IP:port`) for DNS-01 checks and the DNS watch; "" = /etc/resolv.conf.
    public var resolver = ""
    /// `watch_interval`: seconds between DNS checks of a watched domain (backing off to an hour).
    public var watchInterval: Double = 60
    /// `ask`: URL asked `GET ask?domain=NAME` before an on-demand order (2xx allows); "" = no on-demand.
    public var ask = ""
    /// `on_demand_timeout`: how long a first handshake waits for its certificate before getting the default.
    public var onDemandTimeout: Double = 10
    /// `on_demand_max_pending`: on-demand orders in flight at most.
    public var onDemandMaxPending = 10
    /// Line of the `[acme]` header (0 when absent).
    public var line = 0

    /// The defaults documented in `proxy.conf`.
    public init() {}
}
