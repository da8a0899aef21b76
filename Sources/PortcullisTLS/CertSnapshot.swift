/// An immutable SNI → site context map, built off the data path and swapped in whole
/// (`CertSnapshotHolder`). Releasing it never disturbs live connections: each holds its own OpenSSL
/// reference to the context it switched to.
public final class CertSnapshot: Sendable {
    /// Increases with every reload; shown in the ready file and logs.
    public let generation: Int
    /// The first site's context: the last resort when neither SNI nor the listener default matches.
    public let first: SiteTLSContext?
    private let index: SNIIndex<SiteTLSContext>
    private let byCertificateID: [Int: SiteTLSContext]

    /// Indexes `sites` in order; when two sites claim the same host or certificate ID, the earlier wins.
    public init(generation: Int, sites: [(hosts: [String], context: SiteTLSContext)]) {
        var index = SNIIndex<SiteTLSContext>()
        var byCertificateID: [Int: SiteTLSContext] = [:]
        for site in sites {
            for host in site.hosts { index.insert(host: host, value: site.context) }
            if byCertificateID[site.context.certificateID] == nil {
                byCertificateID[site.context.certificateID] = site.context
            }
        }
        self.generation = generation
        self.first = sites.first?.context
        self.index = index
        self.byCertificateID = byCertificateID
    }

    /// The site for a normalised SNI (lower-case, no trailing dot): exact name, then one-label wildcard.
    public func lookup(serverName: String) -> SiteTLSContext? {
        self.index.lookup(serverName)
    }

    /// `lookup(serverName:)` on raw bytes, without allocating (the ClientHello callback).
    public func lookup(serverName: UnsafeRawBufferPointer) -> SiteTLSContext? {
        self.index.lookup(serverName)
    }

    /// The (first) site context serving certificate `certificateID`: the listener default.
    public func context(certificateID: Int) -> SiteTLSContext? {
        self.byCertificateID[certificateID]
    }

    /// Number of host names indexed (exact and wildcard).
    public var hostCount: Int { self.index.count }
}
