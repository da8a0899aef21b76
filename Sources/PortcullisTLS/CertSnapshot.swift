/// An immutable SNI → site context map, built off the data path and swapped in whole
/// (`CertSnapshotHolder`). Releasing it never disturbs live connections: each holds its own OpenSSL
/// references to the certificate and policy context it uses.
///
/// Host names map to slots (one per site, in build order) and slots to contexts, so a certificate swap
/// (`patching`) copies only the slot array and shares the name index with the previous snapshot.
public final class CertSnapshot: Sendable {
    /// Increases with every reload; shown in the ready file and logs.
    public let generation: Int
    /// The context of each slot.
    private let contexts: [SiteTLSContext]
    /// Host name → slot (exact and one-label wildcard).
    private let index: SNIIndex<Int>
    /// The first slot serving each certificate ID.
    private let byCertificateID: [Int: Int]

    /// Indexes `sites` in order; when two sites claim the same host or certificate ID, the earlier wins.
    public init(generation: Int, sites: [(hosts: [String], context: SiteTLSContext)]) {
        var index = SNIIndex<Int>()
        var byCertificateID: [Int: Int] = [:]
        for (slot, site) in sites.enumerated() {
            for host in site.hosts { index.insert(host: host, value: slot) }
            if byCertificateID[site.context.certificateID] == nil {
                byCertificateID[site.context.certificateID] = slot
            }
        }
        self.generation = generation
        self.contexts = sites.map(\.context)
        self.index = index
        self.byCertificateID = byCertificateID
    }

    private init(generation: Int, contexts: [SiteTLSContext], index: SNIIndex<Int>, byCertificateID: [Int: Int]) {
        self.generation = generation
        self.contexts = contexts
        self.index = index
        self.byCertificateID = byCertificateID
    }

    /// This snapshot as generation `generation` with the contexts of some slots replaced (same hosts,
    /// same certificate IDs): O(slots) pointer copies, no re-indexing.
    public func patching(generation: Int, replacing replacements: [Int: SiteTLSContext]) -> CertSnapshot {
        var contexts = self.contexts
        for (slot, context) in replacements where contexts.indices.contains(slot) {
            precondition(contexts[slot].certificateID == context.certificateID, "a patch keeps each slot's certificate ID")
            contexts[slot] = context
        }
        return CertSnapshot(generation: generation, contexts: contexts, index: self.index, byCertificateID: self.byCertificateID)
    }

    /// The first site's context: the last resort when neither SNI nor the listener default matches.
    public var first: SiteTLSContext? { self.contexts.first }

    /// Number of slots (sites, then listener defaults no site serves).
    public var slotCount: Int { self.contexts.count }

    /// The site for a normalised SNI (lower-case, no trailing dot): exact name, then one-label wildcard.
    public func lookup(serverName: String) -> SiteTLSContext? {
        self.index.lookup(serverName).map { self.contexts[$0] }
    }

    /// `lookup(serverName:)` on raw bytes, without allocating (the ClientHello callback).
    public func lookup(serverName: UnsafeRawBufferPointer) -> SiteTLSContext? {
        guard let slot = self.index.lookup(serverName) else { return nil }
        return self.contexts[slot]
    }

    /// The (first) site context serving certificate `certificateID`: the listener default.
    public func context(certificateID: Int) -> SiteTLSContext? {
        self.byCertificateID[certificateID].map { self.contexts[$0] }
    }

    /// Number of host names indexed (exact and wildcard).
    public var hostCount: Int { self.index.count }
}
