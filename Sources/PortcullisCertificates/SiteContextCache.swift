internal import COpenSSL
import Foundation
import PortcullisTLS

/// The `SiteTLSContext`s of the snapshot in service, keyed by everything that went into them (SHA-256 of
/// each chain and key PEM, certificate ID, session-ID context, policy settings, client CA file content,
/// listener variants), so that a rebuild only builds the contexts whose inputs changed. Control plane
/// only: one per proxy, never shared with workers.
///
/// A build stages the contexts it uses (`SnapshotBuilder.build(…, cache:)`); `commit(generation:)`,
/// called once that snapshot is in service, makes them the cache, which frees the contexts of removed or
/// changed sites (connections still using one hold their own OpenSSL reference). A build that fails or
/// is never swapped in leaves the cache as it was.
public final class SiteContextCache: @unchecked Sendable {  // used on the control thread only
    /// A SHA-256 value as four words (cheap to hash and compare).
    struct Digest: Hashable {
        let words: (UInt64, UInt64, UInt64, UInt64)

        /// The digest of `bytes`.
        init(of bytes: [UInt8]) {
            let digest = SiteContextCache.sha256(bytes)
            self.words = digest.withUnsafeBytes {
                (
                    $0.loadUnaligned(as: UInt64.self), $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                    $0.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
                    $0.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                )
            }
        }

        static func == (lhs: Digest, rhs: Digest) -> Bool { lhs.words == rhs.words }

        func hash(into hasher: inout Hasher) {
            hasher.combine(self.words.0)
            hasher.combine(self.words.1)
        }
    }

    /// Everything a `SiteTLSContext` is built from; equal keys build interchangeable contexts.
    struct Key: Hashable {
        /// SHA-256 of each certificate's chain and key PEM, in order.
        let certificates: [Digest]
        let certificateID: Int
        let sessionIDContext: String
        let policy: TLSPolicySettings
        /// SHA-256 of the client CA file when the policy verifies clients (nil if it does not).
        let clientCA: Digest?
        /// Keys of the listener variants, by listener index.
        let variants: [Int: Key]

        /// Hashes the cheap, distinguishing parts; equality compares everything.
        func hash(into hasher: inout Hasher) {
            hasher.combine(self.certificates)
            hasher.combine(self.certificateID)
            hasher.combine(self.sessionIDContext)
        }
    }

    var committed: [Key: SiteTLSContext] = [:]
    var staged: [Key: SiteTLSContext] = [:]
    /// The certificate digest of each name the snapshot in service serves (and of this build's).
    var digests: [String: Digest] = [:]
    var stagedDigests: [String: Digest] = [:]
    /// This build's parsed certificates and policy contexts, shared by every site using the same files
    /// or policy (2,000 distinct certificates behind 100,000 sites are parsed 2,000 times).
    private var certifiedKeys: [Digest: CertifiedKey] = [:]
    private var policyContexts: [PolicyContextKey: PolicyContext] = [:]
    /// PEM text by digest within one build: identical files (hard links, copies) share one string.
    private var texts: [Digest: (chain: String, key: String)] = [:]
    /// What each slot of the snapshot in service was built from (sites, then listener defaults), and
    /// the slots by certificate name: a store change rebuilds only the slots naming it.
    var slots: [Slot] = []
    var slotsByName: [String: [Int]] = [:]
    var stagedSlots: [Slot] = []
    /// A patch build in progress: the keys its slots replaced (see `SiteContextCache+Patch.swift`).
    var patch: Patch?
    /// The certificates the snapshot in service was built from, by name: a reload told which
    /// certificates changed reads only those from disk.
    var certificates: [String: StoredCertificate] = [:]
    var stagedCertificates: [String: StoredCertificate] = [:]
    var stagedGeneration: Int?
    /// Client CA file digests read during the current build, by path.
    private var clientCAs: [String: Digest] = [:]
    /// Session-ID fingerprint and settings of each policy used during the current build, by name.
    private var policies: [String: (fingerprint: String, settings: TLSPolicySettings)] = [:]
    /// Contexts built (not reused) by the last build.
    public internal(set) var lastBuilt = 0

    /// An empty cache.
    public init() {}

    /// The certificate `name` as the snapshot in service serves it (chain and key as read at its
    /// build), or nil when no served site or listener uses it.
    public func servedCertificate(name: String) -> StoredCertificate? { self.certificates[name] }

    /// Number of contexts kept (those of the snapshot in service).
    public var count: Int { self.committed.count }

    /// Starts staging the contexts of a new snapshot, dropping what an earlier build staged.
    func begin() {
        self.reset()
        self.lastBuilt = 0
        self.staged.reserveCapacity(self.committed.count)
    }

    /// Forgets everything staged and the per-build memos.
    func reset() {
        self.staged = [:]
        self.stagedCertificates = [:]
        self.stagedDigests = [:]
        self.stagedSlots = []
        self.stagedGeneration = nil
        self.patch = nil
        self.clientCAs = [:]
        self.policies = [:]
        self.certifiedKeys = [:]
        self.policyContexts = [:]
        self.texts = [:]
    }

    /// Marks the staged contexts as those of snapshot `generation`, built completely from `certificates`
    /// into `slots`.
    func finish(generation: Int, certificates: [String: StoredCertificate], slots: [Slot]) {
        self.stagedCertificates = certificates
        self.stagedGeneration = generation
        self.stagedSlots = slots
    }

    /// Makes the contexts staged for `generation` the cache; call after that snapshot was swapped in.
    /// Ignored when that build failed or another build was started since.
    public func commit(generation: Int) {
        guard self.stagedGeneration == generation else { return }
        if let patch = self.patch {
            self.commitPatch(patch)
        } else {
            self.committed = self.staged
            self.certificates = self.stagedCertificates
            self.digests = self.stagedDigests
            self.slots = self.stagedSlots
            self.slotsByName = Self.index(self.slots)
        }
        self.reset()
    }

    /// Slot indices by certificate name.
    static func index(_ slots: [Slot]) -> [String: [Int]] {
        var byName: [String: [Int]] = [:]
        for (index, slot) in slots.enumerated() {
            for name in slot.names { byName[name, default: []].append(index) }
        }
        return byName
    }

    /// `certificate` with its PEM text shared with any identical certificate read in this build, its
    /// digest noted for `key(names:…)`. Called as each certificate is read from the store.
    func intern(_ certificate: StoredCertificate) -> StoredCertificate {
        let digest = Digest(of: Array(certificate.chainPEM.utf8) + [0] + Array(certificate.keyPEM.utf8))
        self.stagedDigests[certificate.name] = digest
        guard let text = self.texts[digest] else {
            self.texts[digest] = (certificate.chainPEM, certificate.keyPEM)
            return certificate
        }
        return StoredCertificate(
            name: certificate.name, chainPEM: text.chain, keyPEM: text.key, metadata: certificate.metadata)
    }

    /// The digest of `certificate` (used under `certificate.name`): noted when it was read, kept from
    /// the snapshot in service when it was not read again, else computed.
    func digest(of certificate: StoredCertificate) -> Digest {
        if let known = self.stagedDigests[certificate.name] { return known }
        if let served = self.certificates[certificate.name], let known = self.digests[certificate.name],
            served.chainPEM == certificate.chainPEM, served.keyPEM == certificate.keyPEM
        {
            self.stagedDigests[certificate.name] = known
            return known
        }
        _ = self.intern(certificate)  // notes the digest
        return self.stagedDigests[certificate.name] ?? Digest(of: [])
    }

    /// The parsed certificate for `digest` (`chainPEM`/`keyPEM` are its text), parsed once per build.
    func certifiedKey(_ digest: Digest, chainPEM: String, keyPEM: String) throws(TLSError) -> CertifiedKey {
        if let known = self.certifiedKeys[digest] { return known }
        let key = try CertifiedKey(chainPEM: chainPEM, keyPEM: keyPEM)
        self.certifiedKeys[digest] = key
        return key
    }

    /// The policy context for `settings` (and its client CA content), built once per build.
    func policyContext(_ settings: TLSPolicySettings) throws(TLSError) -> PolicyContext {
        let key = PolicyContextKey(settings: settings, clientCA: self.clientCADigest(settings))
        if let known = self.policyContexts[key] { return known }
        let context = try PolicyContext(settings: settings)
        self.policyContexts[key] = context
        return context
    }

    /// `policy`'s session-ID fingerprint and TLS settings, computed once per build.
    func prepared(_ policy: ResolvedPolicy) -> (fingerprint: String, settings: TLSPolicySettings) {
        if let known = self.policies[policy.policy.name] { return known }
        let prepared = (policy.policy.sessionFingerprint, TLSPolicySettings(policy.policy))
        self.policies[policy.policy.name] = prepared
        return prepared
    }

    /// The key for a context built from these inputs (`digests`: of each certificate, in order).
    func key(
        digests: [Digest], certificateID: Int, sessionIDContext: String, policy: TLSPolicySettings,
        variants: [Int: Key]
    ) -> Key {
        Key(
            certificates: digests, certificateID: certificateID, sessionIDContext: sessionIDContext, policy: policy,
            clientCA: self.clientCADigest(policy), variants: variants)
    }

    /// The context for `key`: staged or in service already, else `build()`'s; staged either way.
    func context(for key: Key, build: () throws(TLSError) -> SiteTLSContext) throws(TLSError) -> SiteTLSContext {
        if let context = self.staged[key] ?? self.committed[key] {
            self.staged[key] = context
            return context
        }
        let context = try build()
        self.lastBuilt += 1
        self.staged[key] = context
        return context
    }

    /// The part of the session-ID context that names the client CA file's content (empty when the
    /// policy verifies no clients): replacing the file's content under the same path must end every
    /// session made under the old CAs, or a resumed session would skip the new check.
    func clientCASessionContext(_ policy: TLSPolicySettings) -> String {
        guard let digest = self.clientCADigest(policy) else { return "" }
        return " client-ca " + [digest.words.0, digest.words.1, digest.words.2, digest.words.3]
            .map { String($0, radix: 16) }.joined(separator: ":")
    }

    /// SHA-256 of the client CA file `policy` verifies clients against, read once per build. An
    /// unreadable file gets a value no key shares, so the context is rebuilt (and fails as before).
    func clientCADigest(_ policy: TLSPolicySettings) -> Digest? {
        guard policy.clientAuth != .none, let file = policy.clientCAFile else { return nil }
        if let known = self.clientCAs[file] { return known }
        let content = FileManager.default.contents(atPath: file).map(Array.init) ?? Array(UUID().uuidString.utf8)
        let digest = Digest(of: content)
        self.clientCAs[file] = digest
        return digest
    }

    /// SHA-256, fetched once: `EVP_sha256()` makes OpenSSL 3 look the algorithm up (under a lock) on
    /// every digest, which costs more than the digest itself.
    nonisolated(unsafe) private static let sha256Algorithm = EVP_MD_fetch(nil, "SHA256", nil)

    /// SHA-256 of `bytes`.
    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard let algorithm = Self.sha256Algorithm,
            EVP_Digest(bytes, bytes.count, &digest, &length, algorithm, nil) == 1
        else {
            preconditionFailure("SHA-256 unavailable")
        }
        return Array(digest.prefix(Int(length)))
    }
}
