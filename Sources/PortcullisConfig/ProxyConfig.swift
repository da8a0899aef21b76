/// The parsed, validated contents of `proxy.conf`. Values only: loading and checking live in `ConfigLoader`.
public struct ProxyConfig: Sendable, Equatable {
    /// Path of the file this configuration was read from (for messages and relative paths).
    public var sourcePath: String
    public var server: ServerSettings
    public var tls: TLSSettings
    public var listeners: [ListenerConfig]
    public var sites: [SiteConfig]

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
    public var timeouts: Timeouts
    public var limits: Limits

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
    public var handshake: Double = 10
    public var requestHead: Double = 30
    public var idle: Double = 60
    public var upstreamConnect: Double = 5
    public var upstreamResponse: Double = 60
    public var drain: Double = 30
    public init() {}
}

/// Request and connection limits (`max_*` keys in `[server]`).
public struct Limits: Sendable, Equatable {
    public var maxRequestLine: Int = 8192
    public var maxHeaderBytes: Int = 32768
    public var maxHeaderCount: Int = 100
    /// Per process; split evenly across workers.
    public var maxConnections: Int = 10000
    /// 0 means unlimited; larger Content-Length gets 413.
    public var maxBodyBytes: Int64 = 0
    public init() {}
}

/// `[tls]`.
public struct TLSSettings: Sendable, Equatable {
    public var defaultPolicy: String = "mozilla-intermediate"
    public var expiryWarningDays: Int = 14
    public init() {}
}

/// A `host:port` pair as written in the config (`127.0.0.1:8443`, `[::1]:8443`, `localhost:3000`).
public struct SocketAddressSpec: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Host without brackets (IPv4 literal, IPv6 literal or name).
    public var host: String
    public var port: Int
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
    public var description: String { self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)" }
}

/// One `[[listener]]`.
public struct ListenerConfig: Sendable, Equatable {
    public var bind: SocketAddressSpec
    public var tls: Bool
    /// Certificate name served when SNI matches no site (`default_certificate`).
    public var defaultCertificate: String?
    /// Port used in HTTPS redirects from a plain listener (`https_redirect_port`; 443 = no port in URL).
    public var httpsRedirectPort: Int
    /// Security policy name for this listener (`policy`); nil means `[tls] default_policy`.
    public var policy: String?
    /// Line of the `[[listener]]` header, for messages.
    public var line: Int

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
    /// Line of the `[[site]]` header, for messages.
    public var line: Int

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
