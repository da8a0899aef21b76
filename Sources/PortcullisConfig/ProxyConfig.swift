/// The parsed, validated contents of `proxy.conf`. Values only: loading and checking live in `ConfigLoader`.
public struct ProxyConfig: Sendable, Equatable {
    /// Path of the file this configuration was read from (for messages and relative paths).
    public var sourcePath: String
    /// `[server]`.
    public var server: ServerSettings
    /// `[tls]`.
    public var tls: TLSSettings
    /// Every `[[listener]]`, in file order (at least one).
    public var listeners: [ListenerConfig]
    /// Every `[[site]]`, in file order (at least one); no host appears in two sites.
    public var sites: [SiteConfig]
    /// `[acme]`; nil when the file has no such section.
    public var acme: ACMESettings?
    /// Every `[[policy]]` (custom security policies), in file order.
    public var policies: [PolicyConfig] = []
    /// `[admin]`; nil when the file has no such section (no admin API).
    public var admin: AdminSettings?
    /// `[[site_template]]`: the site (hosts empty, `certificate = "acme"`) created for each domain of
    /// the DNS watch once it points here; nil when absent.
    public var siteTemplate: SiteConfig?

    /// Creates a configuration from already-validated parts (`ConfigLoader` is the checked way in).
    public init(
        sourcePath: String, server: ServerSettings, tls: TLSSettings,
        listeners: [ListenerConfig], sites: [SiteConfig]
    ) {
        self.sourcePath = sourcePath
        self.server = server
        self.tls = tls
        self.listeners = listeners
        self.sites = sites
    }
}

/// `[server]`: process-wide settings.
public struct ServerSettings: Sendable, Equatable {
    /// Absolute path of the state directory (`state_dir`, resolved against the config file's folder).
    public var stateDir: String
    /// Worker threads; 0 means one per core (`workers`).
    public var workers: Int
    /// `access_log`: "stdout", "off", or a file path (resolved against the config file's folder).
    public var accessLog: String
    /// `access_log_format`: common | combined | json.
    public var accessLogFormat: AccessLogFormat
    /// `log_level`: trace | debug | info | notice | warning | error | critical.
    public var logLevel: String
    /// `*_timeout` keys.
    public var timeouts: Timeouts
    /// `max_*` keys.
    public var limits: Limits
    /// `forwarded`: send an RFC 7239 `Forwarded` header upstream (sites may override). Default false.
    public var forwarded: Bool = false

    /// The `log_level` names, lowest first (they match swift-log's `Logger.Level` raw values).
    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// Creates settings; the defaults are those documented in `proxy.conf`.
    public init(
        stateDir: String, workers: Int = 0, accessLog: String = "stdout",
        accessLogFormat: AccessLogFormat = .combined, logLevel: String = "info",
        timeouts: Timeouts = Timeouts(), limits: Limits = Limits()
    ) {
        self.stateDir = stateDir
        self.workers = workers
        self.accessLog = accessLog
        self.accessLogFormat = accessLogFormat
        self.logLevel = logLevel
        self.timeouts = timeouts
        self.limits = limits
    }
}

/// Access log line formats.
public enum AccessLogFormat: String, Sendable, Equatable, CaseIterable {
    case common, combined, json
}

/// Timeouts in seconds; keys in `[server]` end in `_timeout`.
public struct Timeouts: Sendable, Equatable {
    /// `handshake_timeout`: from accept to a finished TLS handshake.
    public var handshake: Double = 10
    /// `request_head_timeout`: to receive a complete request line and headers.
    public var requestHead: Double = 30
    /// `idle_timeout`: a keep-alive connection with no request in flight.
    public var idle: Double = 60
    /// `upstream_connect_timeout`: to connect to an upstream.
    public var upstreamConnect: Double = 5
    /// `upstream_response_timeout`: for an upstream's response head after the request was sent.
    public var upstreamResponse: Double = 60
    /// `drain_timeout`: how long in-flight requests may finish on shutdown.
    public var drain: Double = 30
    /// `tunnel_idle_timeout`: a WebSocket/Upgrade tunnel with no traffic either way is closed.
    public var tunnelIdle: Double = 60
    /// `min_body_rate_grace`: how long a request body may take before `min_body_rate` applies.
    public var minBodyRateGrace: Double = 20
    /// The defaults.
    public init() {}
}

/// Request and connection limits (`max_*` keys in `[server]`).
public struct Limits: Sendable, Equatable {
    /// `max_request_line`: longest request line in bytes.
    public var maxRequestLine: Int = 8192
    /// `max_header_bytes`: largest request head (all header lines) in bytes.
    public var maxHeaderBytes: Int = 32768
    /// `max_header_count`: most header fields in one request.
    public var maxHeaderCount: Int = 100
    /// Per process; split evenly across workers.
    public var maxConnections: Int = 10000
    /// 0 means unlimited; a larger Content-Length, or a chunked body that decodes to more, gets 413.
    public var maxBodyBytes: Int64 = 0
    /// `max_upstream_connections`: open connections per upstream address per worker (busy and idle);
    /// 0 means no cap of its own (each client connection holds at most one upstream connection).
    public var maxUpstreamConnections: Int = 0
    /// `min_body_rate`: slowest average request body in bytes per second after the grace period (408);
    /// 0 = no minimum.
    public var minBodyRate: Int = 512
    /// The defaults.
    public init() {}
}

/// `[tls]`.
public struct TLSSettings: Sendable, Equatable {
    /// `default_policy`: security policy for listeners and sites that name none.
    public var defaultPolicy: String = "mozilla-intermediate"
    /// `ticket_key_rotation`: seconds between session-ticket key rotations (the previous key still
    /// decrypts for one more period). Default 12 hours.
    public var ticketKeyRotation: Double = 12 * 3600
    /// `expiry_warning_days`: warn when a certificate expires within this many days.
    public var expiryWarningDays: Int = 14
    /// `expiry_webhook`: an `http://` URL that receives a JSON POST for each expiring certificate.
    public var expiryWebhook: String?
    /// `expiry_command`: a shell command run for each expiring certificate (facts in `PORTCULLIS_CERT_*`).
    public var expiryCommand: String?
    /// The defaults.
    public init() {}
}

/// A `host:port` pair as written in the config (`127.0.0.1:8443`, `[::1]:8443`, `localhost:3000`).
public struct SocketAddressSpec: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Host without brackets (IPv4 literal, IPv6 literal or name).
    public var host: String
    /// TCP port; 0 only for listeners, meaning "pick a free port".
    public var port: Int
    /// Creates an address from a bare host (no brackets) and a port.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
    /// The written form, bracketing IPv6 hosts.
    public var description: String {
        self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)"
    }
}

/// One `[[listener]]`.
public struct ListenerConfig: Sendable, Equatable {
    /// `bind`: the IP literal and port to listen on.
    public var bind: SocketAddressSpec
    /// `tls`: terminate TLS (true) or serve plain HTTP that redirects to HTTPS (false).
    public var tls: Bool
    /// Certificate name served when SNI matches no site (`default_certificate`).
    public var defaultCertificate: String?
    /// Port used in HTTPS redirects from a plain listener (`https_redirect_port`; 443 = no port in URL).
    public var httpsRedirectPort: Int
    /// Security policy name for this listener (`policy`); nil means `[tls] default_policy`.
    public var policy: String?
    /// `on_demand`: an unknown SNI name may get a certificate at its first handshake (needs `[acme] ask`).
    public var onDemand = false
    /// `default_site`: a host of the site that answers requests whose Host matches no site; nil means
    /// the site of the listener's default certificate (else the first site), as nginx's `default_server`.
    public var defaultSite: String?
    /// `unknown_host`: what a request whose Host matches no site (or is an IP literal) gets.
    public var unknownHost: UnknownHostAction = .defaultSite
    /// Line of the `[[listener]]` header, for messages.
    public var line: Int

    /// Creates a listener; the defaults match `proxy.conf`'s.
    public init(
        bind: SocketAddressSpec, tls: Bool, defaultCertificate: String? = nil,
        httpsRedirectPort: Int = 443, policy: String? = nil, line: Int = 0
    ) {
        self.bind = bind
        self.tls = tls
        self.defaultCertificate = defaultCertificate
        self.httpsRedirectPort = httpsRedirectPort
        self.policy = policy
        self.line = line
    }
}

/// `[[listener]] unknown_host`: the answer to a request for a host no site names.
public enum UnknownHostAction: String, Sendable, Equatable, CaseIterable {
    /// `"404"`: Not Found (Portcullis before `default_site` existed).
    case notFound = "404"
    /// `"421"`: Misdirected Request, so a client retries on a connection for the right name.
    case misdirected = "421"
    /// `"default"`: the listener's default site answers (nginx `default_server`).
    case defaultSite = "default"
}

/// One `[[site]]`: the hosts it answers, where its certificate comes from, and what it serves.
public struct SiteConfig: Sendable, Equatable {
    /// Lower-cased host names; `*.example.com` wildcards cover one label.
    public var hosts: [String]
    /// `certificate`: "self-signed", "acme", or an imported certificate's name. Default "self-signed".
    public var certificate: String
    /// Built-in response body (`respond`); exclusive with `upstreams`.
    public var respond: String?
    /// Upstream servers, round robin (`upstreams`).
    public var upstreams: [SocketAddressSpec]
    /// `Strict-Transport-Security` value added to responses that lack one (`hsts`).
    public var hsts: String?
    /// `policy` override for this site.
    public var policy: String?
    /// Further certificates when `certificate` is an array (`["shop-ec", "shop-rsa"]`): `certificate` is
    /// the first (primary) name, these are the rest, served side by side by key type.
    public var additionalCertificates: [String] = []
    /// `key_types` for generated certificates (`["ec256", "rsa2048"]`); empty means one ECDSA P-256.
    public var keyTypes: [String] = []
    /// `forwarded`: this site's override of `[server] forwarded`; nil follows the server setting.
    public var forwarded: Bool?
    /// Made by the DNS watch from `[[site_template]]` (not in the file; replaced at every commit).
    public var provisioned = false
    /// `challenge`: the one ACME challenge type for this site's orders; nil = any the config can answer.
    public var challenge: String?
    /// `challenge` values.
    public static let challengeTypes = ["http-01", "tls-alpn-01", "dns-01"]
    /// `health_check`: active checks of the upstreams; nil means passive health only.
    public var healthCheck: HealthCheckConfig?
    /// Line of the `[[site]]` header, for messages.
    public var line: Int

    /// Creates a site; the defaults match `proxy.conf`'s.
    public init(
        hosts: [String], certificate: String = "self-signed", respond: String? = nil,
        upstreams: [SocketAddressSpec] = [], hsts: String? = nil, policy: String? = nil, line: Int = 0
    ) {
        self.hosts = hosts
        self.certificate = certificate
        self.respond = respond
        self.upstreams = upstreams
        self.hsts = hsts
        self.policy = policy
        self.line = line
    }

    /// Name under which this site's certificate lives in the store. Self-signed certificates are
    /// per site and named after the first host (a wildcard's `*` becomes `_wildcard`).
    public var certificateName: String {
        guard self.certificate == "self-signed" || self.certificate == "acme" else { return self.certificate }
        let first = self.hosts.first ?? "default"
        return first.hasPrefix("*.") ? "_wildcard" + first.dropFirst(1) : first
    }
}
