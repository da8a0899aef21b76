import PortcullisConfig
import PortcullisTLS

/// Patch builds: a store change rebuilds only the slots (sites, listener defaults) that name a changed
/// certificate, and commits by replacing their keys, with no pass over the other sites.
extension SiteContextCache {
    /// What one slot of a snapshot was built from, so that it can be rebuilt alone.
    struct Slot {
        /// Store names served, primary first.
        let names: [String]
        /// `config.sites` index, or nil for a listener's default certificate.
        let site: Int?
        /// Where the certificate is named in the config (for located errors).
        let section: SnapshotBuildError.Section
        let line: Int
        /// True when a name is generated (self-signed, ACME placeholder): a patch cannot rebuild it.
        let generated: Bool
        /// The cache keys of the slot's context and its listener variants.
        let keys: [Key]
    }

    /// A patch build's bookkeeping until it is committed.
    struct Patch {
        /// The rebuilt slots, by index.
        var slots: [Int: Slot]
    }

    /// A policy context's inputs.
    struct PolicyContextKey: Hashable {
        let settings: TLSPolicySettings
        let clientCA: Digest?

        func hash(into hasher: inout Hasher) { hasher.combine(self.settings.ciphersuites) }
        static func == (lhs: Self, rhs: Self) -> Bool { lhs.settings == rhs.settings && lhs.clientCA == rhs.clientCA }
    }

    /// Whether the snapshot in service can be patched for `names`: every slot serving one was built
    /// from imported certificates. Names no slot serves need nothing.
    public func canPatch(_ names: Set<String>) -> Bool {
        guard !self.slots.isEmpty else { return false }
        return names.allSatisfy { name in (self.slotsByName[name] ?? []).allSatisfy { !self.slots[$0].generated } }
    }

    /// The slot indices serving any of `names`, in order.
    func slotIndices(serving names: Set<String>) -> [Int] {
        Set(names.flatMap { self.slotsByName[$0] ?? [] }).sorted()
    }

    /// The slot at `index` of the snapshot in service.
    func slot(_ index: Int) -> Slot { self.slots[index] }

    /// Starts a patch build (staging only what it builds).
    func beginPatch() {
        self.reset()
        self.lastBuilt = 0
        self.patch = Patch(slots: [:])
    }

    /// Marks the patch staged for `generation`: the rebuilt `slots` and the certificates read.
    func finishPatch(generation: Int, certificates: [String: StoredCertificate], slots: [Int: Slot]) {
        self.patch = Patch(slots: slots)
        self.stagedCertificates = certificates
        self.stagedGeneration = generation
    }

    /// Replaces the patched slots' keys, certificates and digests in place (no copy of the cache).
    func commitPatch(_ patch: Patch) {
        for (index, slot) in patch.slots {
            for key in self.slots[index].keys { self.committed[key] = nil }
            self.slots[index] = slot
        }
        for slot in patch.slots.values {
            for key in slot.keys { self.committed[key] = self.staged[key] }
        }
        self.certificates.merge(self.stagedCertificates) { _, new in new }
        self.digests.merge(self.stagedDigests) { _, new in new }
    }
}
