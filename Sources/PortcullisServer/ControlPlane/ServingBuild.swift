import Glibc
import PortcullisCertificates
import PortcullisConfig
import PortcullisCore
import PortcullisHTTP
import PortcullisTLS

/// Everything one configuration serves, built off the data path before it goes live: the certificate
/// snapshot, the routes and data-plane settings (published together as one `RouteTable`), and the TLS
/// policy of every listener. Building writes nothing: generated certificates wait in `prepared` until
/// the control plane commits (`ControlPlane.commit`), and `validate` runs exactly this build.
struct ServingBuild {
    /// What the build needs besides the configuration.
    struct Inputs {
        var store: CertificateStore
        var registry: CertificateRegistry
        var generation: Int
        var workers: Int
        var cache: SiteContextCache
        /// Certificates read again from the store (nil: all).
        var changed: Set<String>?
        var accessLogs: AccessLogFiles
        /// True for `validate`: check that log files can be opened, open nothing.
        var dryRun: Bool
    }

    let config: ProxyConfig
    let routes: RouteTable
    let prepared: SnapshotBuilder.Prepared
    /// TLS policy settings by listener index (TLS listeners only).
    let listenerPolicies: [Int: TLSPolicySettings]

    /// Builds the state for `config`; throws a located error (`ConfigErrors`, `SnapshotBuildError`) or
    /// a `ServerError` sentence.
    static func build(config: ProxyConfig, inputs: Inputs) throws -> ServingBuild {
        let prepared = try SnapshotBuilder.prepare(
            config: config, store: inputs.store, registry: inputs.registry, generation: inputs.generation,
            cache: inputs.cache, changed: inputs.changed)
        var listenerPolicies: [Int: TLSPolicySettings] = [:]
        for (index, listener) in config.listeners.enumerated() where listener.tls {
            listenerPolicies[index] = try SnapshotBuilder.listenerSettings(config: config, index: index)
        }
        let sites = try self.sites(config, registry: inputs.registry)
        let settings = try self.settings(config.server, inputs: inputs)
        let routes = RouteTable(
            generation: inputs.generation, sites: sites, hosts: config.sites.map(\.hosts), settings: settings,
            certificates: prepared.snapshot, unknownHost: config.listeners.map { self.unknownHostRoute($0, config) })
        return ServingBuild(config: config, routes: routes, prepared: prepared, listenerPolicies: listenerPolicies)
    }

    /// The data plane's view of each site, upstreams resolved.
    private static func sites(_ config: ProxyConfig, registry: CertificateRegistry) throws -> [Site] {
        var sites: [Site] = []
        var policies = PolicyTable(config: config)
        for site in config.sites {
            var upstreams: [SocketAddress] = []
            for upstream in site.upstreams {
                do {
                    upstreams.append(try SocketAddress.resolve(host: upstream.host, port: upstream.port, numericOnly: false))
                } catch {
                    throw ConfigErrors([
                        ConfigError(
                            file: config.sourcePath, line: site.line, key: "[[site]].upstreams",
                            message: "upstream \(upstream): \(error)")
                    ])
                }
            }
            var built = Site(
                name: site.hosts.first ?? "site", certificateID: registry.id(for: site.certificateName),
                respondBody: site.respond.map { Array($0.utf8) }, upstreams: upstreams,
                hsts: try policies.hsts(for: site))
            built.forwarded = site.forwarded ?? config.server.forwarded
            sites.append(built)
        }
        return sites
    }

    /// A listener's `unknown_host` as a route: the default site is `default_site`, else the site of its
    /// default certificate, else the first site (the certificate a handshake without SNI gets).
    private static func unknownHostRoute(_ listener: ListenerConfig, _ config: ProxyConfig) -> UnknownHostRoute {
        switch listener.unknownHost {
        case .notFound: return .notFound
        case .misdirected: return .misdirected
        case .defaultSite: break
        }
        let sites = config.sites
        if let host = listener.defaultSite, let index = sites.firstIndex(where: { $0.hosts.contains(host) }) {
            return .site(index)
        }
        if let name = listener.defaultCertificate,
            let index = sites.firstIndex(where: { $0.certificateName == name || $0.additionalCertificates.contains(name) })
        {
            return .site(index)
        }
        return .site(0)
    }

    /// Data-plane settings from `[server]`.
    private static func settings(_ server: ServerSettings, inputs: Inputs) throws -> DataPlaneSettings {
        var settings = DataPlaneSettings()
        settings.handshakeTimeout = server.timeouts.handshake
        settings.requestHeadTimeout = server.timeouts.requestHead
        settings.idleTimeout = server.timeouts.idle
        settings.upstreamConnectTimeout = server.timeouts.upstreamConnect
        settings.upstreamResponseTimeout = server.timeouts.upstreamResponse
        settings.tunnelIdleTimeout = server.timeouts.tunnelIdle
        settings.minBodyRate = server.limits.minBodyRate
        settings.bodyRateGrace = server.timeouts.minBodyRateGrace
        settings.limits = HTTPLimits(
            maxRequestLine: server.limits.maxRequestLine, maxHeaderBytes: server.limits.maxHeaderBytes,
            maxHeaderCount: server.limits.maxHeaderCount)
        settings.maxBodyBytes = server.limits.maxBodyBytes
        settings.maxUpstreamConnections = server.limits.maxUpstreamConnections
        settings.maxConnectionsPerWorker = max(1, server.limits.maxConnections / max(1, inputs.workers))
        settings.accessLog = try inputs.accessLogs.sink(
            path: server.accessLog, format: server.accessLogFormat, dryRun: inputs.dryRun)
        return settings
    }
}

/// A startup or reload failure, as one sentence.
public struct ServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
