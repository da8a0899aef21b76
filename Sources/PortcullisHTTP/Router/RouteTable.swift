import PortcullisCore
import PortcullisTLS

/// Data-plane settings that a reload may change (timeouts in seconds, limits in bytes or counts).
public struct DataPlaneSettings: Sendable {
    public var handshakeTimeout: Double = 10
    public var requestHeadTimeout: Double = 30
    public var idleTimeout: Double = 60
    public var upstreamConnectTimeout: Double = 5
    public var upstreamResponseTimeout: Double = 60
    /// A WebSocket/Upgrade tunnel with no byte in either direction for this long is closed (0 = never).
    public var tunnelIdleTimeout: Double = 60
    /// Slowest average request body accepted after `bodyRateGrace`, in bytes per second (0 = no minimum).
    public var minBodyRate: Int = 512
    /// How long a request body may take before `minBodyRate` is enforced.
    public var bodyRateGrace: Double = 20
    public var limits = HTTPLimits()
    /// 0 = unlimited.
    public var maxBodyBytes: Int64 = 0
    /// Per worker.
    public var maxConnectionsPerWorker: Int = 10000
    /// Open connections per upstream address per worker; 0 = no cap of its own.
    public var maxUpstreamConnections: Int = 0
    public var accessLog: AccessLogSink = .off
    public init() {}
}

/// One site as the data plane sees it: what it serves and which certificate it belongs to.
public struct Site: Sendable {
    public var name: String
    public var certificateID: Int
    public var respondBody: [UInt8]?
    public var upstreams: [SocketAddress]
    /// Complete header line, e.g. `Strict-Transport-Security: max-age=63072000\r\n`, or nil.
    public var hstsLine: [UInt8]?
    /// Whether requests to this site carry an RFC 7239 `Forwarded` field.
    public var forwarded = false

    public init(name: String, certificateID: Int, respondBody: [UInt8]?, upstreams: [SocketAddress], hsts: String?) {
        self.name = name
        self.certificateID = certificateID
        self.respondBody = respondBody
        self.upstreams = upstreams
        self.hstsLine = hsts.map { Array("Strict-Transport-Security: \($0)\r\n".utf8) }
    }
}

/// The immutable serving state published to workers in one step: sites by Host, settings, and the
/// certificate snapshot the TLS listeners select from (so routes and certificates change together).
public final class RouteTable: Sendable {
    public let generation: Int
    public let sites: [Site]
    public let settings: DataPlaneSettings
    /// The certificates of this generation (read by each handshake through `DataPlane`).
    public let certificates: CertSnapshot
    /// What each listener (by config index) does with a Host that no site names.
    public let unknownHost: [UnknownHostRoute]
    private let index: SNIIndex<Int>

    /// `hosts[i]` are the host names of `sites[i]`.
    public init(
        generation: Int, sites: [Site], hosts: [[String]], settings: DataPlaneSettings,
        certificates: CertSnapshot? = nil, unknownHost: [UnknownHostRoute] = []
    ) {
        self.generation = generation
        self.unknownHost = unknownHost
        self.sites = sites
        self.settings = settings
        self.certificates = certificates ?? CertSnapshot(generation: generation, sites: [])
        var index = SNIIndex<Int>()
        for (siteIndex, names) in hosts.enumerated() {
            for name in names { index.insert(host: name, value: siteIndex) }
        }
        self.index = index
    }

    private init(
        generation: Int, sites: [Site], settings: DataPlaneSettings, certificates: CertSnapshot,
        unknownHost: [UnknownHostRoute], index: SNIIndex<Int>
    ) {
        self.generation = generation
        self.unknownHost = unknownHost
        self.sites = sites
        self.settings = settings
        self.certificates = certificates
        self.index = index
    }

    /// The same routes and settings as generation `generation` serving `certificates` (a certificate
    /// swap): shares the host index instead of rebuilding it.
    public func replacing(certificates: CertSnapshot, generation: Int) -> RouteTable {
        RouteTable(
            generation: generation, sites: self.sites, settings: self.settings, certificates: certificates,
            unknownHost: self.unknownHost, index: self.index)
    }

    /// The site for a Host header value (port and trailing dot ignored, case-insensitive).
    public func site(forHostHeader value: UnsafeRawBufferPointer) -> Int? {
        withUnsafeTemporaryAllocation(byteCount: 256, alignment: 1) { buffer in
            let count = HostName.normalize(value, into: buffer)
            let host = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            guard count > 0, !Self.isIPLiteral(host) else { return nil }
            return self.index.lookup(host)
        }
    }
}

/// A listener's answer to a request whose Host matches no site (or is an IP literal).
public enum UnknownHostRoute: Sendable, Equatable {
    case notFound
    case misdirected
    /// Route to `sites[index]`.
    case site(Int)
}

extension RouteTable {
    /// What listener `listener` does with an unknown host (404 when the table has no entry for it).
    public func unknownHostRoute(listener: Int) -> UnknownHostRoute {
        listener < self.unknownHost.count ? self.unknownHost[listener] : .notFound
    }

    /// Whether a normalised Host value is an IP literal (`[v6]` or dotted digits): never a site's name,
    /// as in nginx, where such requests go to the default server.
    static func isIPLiteral(_ host: UnsafeRawBufferPointer) -> Bool {
        guard let first = host.first else { return false }
        if first == UInt8(ascii: "[") { return true }
        return host.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") }
    }
}

/// Host header normalisation without allocation.
enum HostName {
    /// Lower-cases the host part of `value` (drops `:port`, brackets kept for IPv6, drops a trailing
    /// dot) into `buffer`; returns the length, or 0 if it does not fit or is empty.
    static func normalize(_ value: UnsafeRawBufferPointer, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var end = value.count
        if value.first != UInt8(ascii: "["), let colon = value.lastIndex(of: UInt8(ascii: ":")) {
            end = colon
        } else if value.first == UInt8(ascii: "["), let close = value.firstIndex(of: UInt8(ascii: "]")) {
            end = close + 1
        }
        if end > 0, value[end - 1] == UInt8(ascii: ".") { end -= 1 }
        guard end > 0, end <= buffer.count else { return 0 }
        for i in 0..<end {
            let byte = value[i]
            buffer[i] = (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
        }
        return end
    }
}
