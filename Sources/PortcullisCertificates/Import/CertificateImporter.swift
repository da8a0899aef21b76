import Foundation
import PortcullisTLS

/// What to import: PEM/DER files (leaf, optional chain and CA bundle, key) or a PKCS#12 file.
public struct CertificateImportRequest: Sendable {
    /// Where the certificate and key come from.
    public enum Source: Sendable {
        /// `--cert` (may hold the whole chain), `--chain`, `--ca` (issuers, roots not served), `--key`.
        case pem(certificate: String, chain: String?, caBundle: String?, key: String)
        /// `--pfx` and `--password-file`.
        case pkcs12(path: String, passwordFile: String)
        /// The contents of the PEM/DER files (the admin API's request body); errors name the fields.
        case pemData(certificate: [UInt8], chain: [UInt8]?, caBundle: [UInt8]?, key: [UInt8])
        /// The contents of a PKCS#12 file and its password.
        case pkcs12Data(bytes: [UInt8], password: String)
    }

    /// The store name.
    public var name: String
    /// The files.
    public var source: Source
    /// Accept expired and not-yet-valid certificates (with a warning).
    public var force: Bool

    /// A request from explicit values.
    public init(name: String, source: Source, force: Bool = false) {
        self.name = name
        self.source = source
        self.force = force
    }
}

/// A validated certificate ready to save, with the warnings the operator should see.
public struct CertificateImportResult: Sendable {
    /// What will be (or was) saved.
    public var certificate: StoredCertificate
    /// The leaf's facts.
    public var summary: CertificateSummary
    /// One sentence each: forced validity, reordered chain, missing intermediate, dropped certificates.
    public var warnings: [String]
}

/// Validates imports before anything is written (docs/REFERENCE.md, certificate store): readable files, a supported key that
/// matches a non-CA leaf, validity dates, chain order and completeness.
public enum CertificateImporter {
    /// Validates `request` and saves it (replacing, and keeping as previous, any certificate of that name).
    public static func importCertificate(
        _ request: CertificateImportRequest, into store: CertificateStore, now: Date = Date()
    ) throws -> CertificateImportResult {
        let result = try self.prepare(request, now: now)
        try store.save(result.certificate)
        return result
    }

    /// Validates `request` and builds the certificate without writing anything.
    public static func prepare(_ request: CertificateImportRequest, now: Date = Date()) throws -> CertificateImportResult {
        try self.checkName(request.name)
        let (key, supplied, bundle) = try self.read(request.source)
        if case .failure(let error) = X509Facts.keyType(key) { throw error }
        guard let leaf = supplied.first(where: { X509Facts.matches($0, key: key) }) else {
            throw CertificateImportError.keyMismatch
        }
        if X509Facts.isCA(leaf) && !X509Facts.isSelfSigned(leaf) || X509Facts.isCA(leaf) && supplied.count > 1 {
            throw CertificateImportError.leafIsCA(subject: X509Facts.subject(leaf))
        }
        var warnings: [String] = []
        let summary = try CertificateSummary(chainPEM: try leaf.pem())
        try self.checkValidity(summary, force: request.force, now: now, warnings: &warnings)
        let organizer = ChainOrganizer(leaf: leaf, supplied: supplied, caBundle: bundle)
        warnings += self.chainWarnings(organizer)
        let chainPEM = try organizer.chain.map { try $0.pem() }.joined()
        let domains = summary.dnsNames.isEmpty ? [summary.commonName].filter { !$0.isEmpty } : summary.dnsNames
        let metadata = CertificateMetadata(
            source: .user, domains: domains, created: CertificateClock.rfc3339(now),
            chainIncomplete: organizer.complete ? nil : true)
        let certificate = StoredCertificate(name: request.name, chainPEM: chainPEM, keyPEM: try key.pem(), metadata: metadata)
        return CertificateImportResult(certificate: certificate, summary: summary, warnings: warnings)
    }

    /// Letters, digits, `.`, `_`, `-`; not empty, not starting with `.`, at most 200 bytes.
    public static func checkName(_ name: String) throws {
        let allowed = name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
        guard allowed, !name.isEmpty, !name.hasPrefix("."), name.utf8.count <= 200 else {
            throw CertificateImportError.invalidName(name)
        }
    }

    /// The key, every supplied certificate (leaf file, then chain file) and the CA bundle.
    private static func read(
        _ source: CertificateImportRequest.Source
    ) throws -> (PrivateKey, [X509Certificate], [X509Certificate]) {
        switch source {
        case .pem(let certificate, let chain, let caBundle, let keyPath):
            var supplied = try ImportFiles.certificates(certificate)
            if let chain { supplied += try ImportFiles.certificates(chain) }
            let bundle = try caBundle.map(ImportFiles.certificates) ?? []
            return (try ImportFiles.key(keyPath), supplied, bundle)
        case .pkcs12(let path, let passwordFile):
            let (key, certificates) = try PKCS12Reader.read(path: path, password: try ImportFiles.password(passwordFile))
            return (key, certificates, [])
        case .pemData(let certificate, let chain, let caBundle, let key):
            var supplied = try ImportFiles.certificates(bytes: certificate, label: "certificate")
            if let chain { supplied += try ImportFiles.certificates(bytes: chain, label: "chain") }
            let bundle = try caBundle.map { try ImportFiles.certificates(bytes: $0, label: "ca_bundle") } ?? []
            return (try ImportFiles.key(bytes: key, label: "private_key"), supplied, bundle)
        case .pkcs12Data(let bytes, let password):
            let (key, certificates) = try PKCS12Reader.read(bytes: bytes, label: "pfx", password: password)
            return (key, certificates, [])
        }
    }

    /// Expired or not yet valid: refused, or a warning with `force`.
    private static func checkValidity(
        _ summary: CertificateSummary, force: Bool, now: Date, warnings: inout [String]
    ) throws {
        let problem: CertificateImportError
        if summary.notAfter < now {
            problem = .expired(notAfter: summary.notAfter)
        } else if summary.notBefore > now {
            problem = .notYetValid(notBefore: summary.notBefore)
        } else {
            return
        }
        guard force else { throw problem }
        let sentence = problem.description.replacingOccurrences(of: "; pass --force to import it anyway", with: "")
        warnings.append(sentence + "; imported because of --force")
    }

    /// Sentences about the chain's order and completeness.
    private static func chainWarnings(_ organizer: ChainOrganizer) -> [String] {
        var warnings: [String] = []
        if organizer.reordered { warnings.append("the chain was out of order; it is stored leaf first") }
        if !organizer.complete {
            warnings.append(
                "the chain is incomplete: the issuer of \(X509Facts.subject(organizer.chain.last!)) was not found "
                    + "(add the intermediate with --chain, or the root with --ca); status chain-incomplete")
        }
        if organizer.unrelated > 0 {
            warnings.append("\(organizer.unrelated) supplied certificate(s) are not part of the leaf's chain and were dropped")
        }
        return warnings
    }
}
