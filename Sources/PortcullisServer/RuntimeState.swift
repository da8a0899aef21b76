import Glibc
import PortcullisCertificates
import PortcullisConfig
import PortcullisCore
import PortcullisHTTP
import PortcullisTLS

/// Everything built from one configuration before it goes live: the certificate snapshot and the
/// routing table. Building either can fail; nothing is published until both are ready (reload is a
/// transaction).
struct RuntimeState {
    let config: ProxyConfig
    let certificates: CertSnapshot
    let routes: RouteTable
    /// The site contexts in service, reused by later certificate reloads; one per proxy, passed from
    /// state to state.
    let contextCache: SiteContextCache

    /// Builds the state for `config`; throws a message that names what is wrong. With `cache` (a reload),
    /// unchanged sites keep their contexts and the caller commits generation `generation` to the cache
    /// after the swap; without (startup), a new cache holding this state's contexts is made.
    static func build(
        config: ProxyConfig, registry: CertificateRegistry, generation: Int, workers: Int, cache: SiteContextCache? = nil
    ) throws -> RuntimeState {
        let store = CertificateStore(layout: StoreLayout(stateDir: config.server.stateDir))
        let contextCache = cache ?? SiteContextCache()
        let snapshot = try SnapshotBuilder.build(
            config: config, store: store, registry: registry, generation: generation, cache: contextCache)
        var sites: [Site] = []
        var policies = PolicyTable(config: config)
        for site in config.sites {
            var upstreams: [SocketAddress] = []
            for upstream in site.upstreams {
                do {
                    upstreams.append(try SocketAddress.resolve(host: upstream.host, port: upstream.port, numericOnly: false))
                } catch {
                    throw ServerError("site at \(config.sourcePath):\(site.line): upstream \(upstream): \(error)")
                }
            }
            var built = Site(
                name: site.hosts.first ?? "site", certificateID: registry.id(for: site.certificateName),
                respondBody: site.respond.map { Array($0.utf8) }, upstreams: upstreams,
                hsts: try policies.hsts(for: site))
            built.forwarded = site.forwarded ?? config.server.forwarded
            sites.append(built)
        }
        let settings = try self.settings(config.server, workers: workers)
        let routes = RouteTable(generation: generation, sites: sites, hosts: config.sites.map(\.hosts), settings: settings)
        if cache == nil { contextCache.commit(generation: generation) }
        return RuntimeState(config: config, certificates: snapshot, routes: routes, contextCache: contextCache)
    }

    /// Data-plane settings from `[server]`.
    private static func settings(_ server: ServerSettings, workers: Int) throws -> DataPlaneSettings {
        var settings = DataPlaneSettings()
        settings.handshakeTimeout = server.timeouts.handshake
        settings.requestHeadTimeout = server.timeouts.requestHead
        settings.idleTimeout = server.timeouts.idle
        settings.upstreamConnectTimeout = server.timeouts.upstreamConnect
        settings.upstreamResponseTimeout = server.timeouts.upstreamResponse
        settings.limits = HTTPLimits(
            maxRequestLine: server.limits.maxRequestLine, maxHeaderBytes: server.limits.maxHeaderBytes,
            maxHeaderCount: server.limits.maxHeaderCount)
        settings.maxBodyBytes = server.limits.maxBodyBytes
        settings.maxUpstreamConnections = server.limits.maxUpstreamConnections
        settings.maxConnectionsPerWorker = max(1, server.limits.maxConnections / max(1, workers))
        settings.accessLog = try AccessLogFiles.shared.sink(path: server.accessLog, format: server.accessLogFormat)
        return settings
    }
}

/// Opened access log files, kept open across reloads (a file is opened once per path).
final class AccessLogFiles: @unchecked Sendable {  // only used from the main (control) thread
    static let shared = AccessLogFiles()
    private var open: [String: Int32] = [:]

    /// The sink for a configured `access_log` value.
    func sink(path: String, format: AccessLogFormat) throws -> AccessLogSink {
        let kind: AccessLogSink.Format = format == .json ? .json : (format == .common ? .common : .combined)
        switch path {
        case "off": return AccessLogSink(fd: -1, format: kind)
        case "stdout": return AccessLogSink(fd: 1, format: kind)
        case "stderr": return AccessLogSink(fd: 2, format: kind)
        default:
            if let fd = self.open[path] { return AccessLogSink(fd: fd, format: kind) }
            let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
            guard fd >= 0 else { throw ServerError("opening access log \(path): \(String(cString: strerror(errno)))") }
            self.open[path] = fd
            return AccessLogSink(fd: fd, format: kind)
        }
    }
}

/// A startup or reload failure, as one sentence.
public struct ServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
