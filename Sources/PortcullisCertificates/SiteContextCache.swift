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

    private var committed: [Key: SiteTLSContext] = [:]
    private var staged: [Key: SiteTLSContext] = [:]
    /// The certificates the snapshot in service was built from, by name: a reload told which
    /// certificates changed reads only those from disk.
    private(set) var certificates: [String: StoredCertificate] = [:]
    private var stagedCertificates: [String: StoredCertificate] = [:]
    private var stagedGeneration: Int?
    /// Client CA file digests read during the current build, by path.
    private var clientCAs: [String: Digest] = [:]
    /// Session-ID fingerprint and settings of each policy used during the current build, by name.
    private var policies: [String: (fingerprint: String, settings: TLSPolicySettings)] = [:]
    /// Contexts built (not reused) by the last build.
    public private(set) var lastBuilt = 0

    /// An empty cache.
    public init() {}

    /// The certificate `name` as the snapshot in service serves it (chain and key as read at its
    /// build), or nil when no served site or listener uses it.
    public func servedCertificate(name: String) -> StoredCertificate? { self.certificates[name] }

    /// Number of contexts kept (those of the snapshot in service).
    public var count: Int { self.committed.count }

    /// Starts staging the contexts of a new snapshot, dropping what an earlier build staged.
    func begin() {
        self.staged = [:]
        self.staged.reserveCapacity(self.committed.count)
        self.stagedCertificates = [:]
        self.stagedGeneration = nil
        self.clientCAs = [:]
        self.policies = [:]
        self.lastBuilt = 0
    }

    /// Marks the staged contexts as those of snapshot `generation`, built completely from `certificates`.
    func finish(generation: Int, certificates: [String: StoredCertificate]) {
        self.stagedCertificates = certificates
        self.stagedGeneration = generation
    }

    /// Makes the contexts staged for `generation` the cache; call after that snapshot was swapped in.
    /// Ignored when that build failed or another build was started since.
    public func commit(generation: Int) {
        guard self.stagedGeneration == generation else { return }
        self.committed = self.staged
        self.certificates = self.stagedCertificates
        self.staged = [:]
        self.stagedCertificates = [:]
        self.stagedGeneration = nil
        self.clientCAs = [:]
        self.policies = [:]
    }

    /// `policy`'s session-ID fingerprint and TLS settings, computed once per build.
    func prepared(_ policy: ResolvedPolicy) -> (fingerprint: String, settings: TLSPolicySettings) {
        if let known = self.policies[policy.policy.name] { return known }
        let prepared = (policy.policy.sessionFingerprint, TLSPolicySettings(policy.policy))
        self.policies[policy.policy.name] = prepared
        return prepared
    }

    /// The key for a context built from these inputs.
    func key(
        certificates: [(chainPEM: String, keyPEM: String)], certificateID: Int, sessionIDContext: String,
        policy: TLSPolicySettings, variants: [Int: Key]
    ) -> Key {
        Key(
            certificates: certificates.map { Digest(of: Array($0.chainPEM.utf8) + [0] + Array($0.keyPEM.utf8)) },
            certificateID: certificateID, sessionIDContext: sessionIDContext, policy: policy,
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
    private func clientCADigest(_ policy: TLSPolicySettings) -> Digest? {
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
