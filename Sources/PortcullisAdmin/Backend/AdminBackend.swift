import PortcullisCore

/// What the admin API needs from the control plane. Every method runs on the control thread (the
/// admin server's event base), so an implementation may touch control-plane state directly.
///
/// Contract: methods MUST throw `AdminError` for every refusal, with `detail` being the same one
/// sentence the CLI prints; they MUST NOT return or log private keys; a refused change MUST leave the
/// store byte-for-byte unchanged; a successful change MUST be in service (committed) when the method
/// returns.
public protocol AdminBackend: AnyObject {
    /// The status table (`certs list --json` plus serial, fingerprint and `previous`).
    func listCertificates() throws -> [CertificateInfo]
    /// One certificate with its public chain.
    func certificate(named name: String) throws -> CertificateDetail
    /// Imports or replaces `name`; `created` is false when it replaced an existing certificate.
    func putCertificate(named name: String, upload: CertificateUpload) throws -> (created: Bool, certificate: CertificateInfo)
    /// The public chain, leaf first, as PEM (certificates only).
    func chainPEM(named name: String) throws -> String
    /// Swaps `name` back to its previous version.
    func rollbackCertificate(named name: String) throws -> CertificateInfo
    /// Removes `name`; refused while a site or listener uses it unless `force`.
    func deleteCertificate(named name: String, force: Bool) throws
    /// Starts a renewal of an ACME certificate.
    func renewCertificate(named name: String) throws
    /// Every site of the running configuration.
    func sites() -> [SiteInfo]
    /// The policy catalogue (presets and `[[policy]]` tables).
    func policies() -> [PolicyInfo]
    /// Re-reads `proxy.conf` through the commit path; returns the new generation.
    func reload() throws -> Int
    /// Control-plane events with `seq > after`, oldest first.
    func events(after: UInt64) -> [ControlEvent]
    /// The Prometheus text exposition of every metric.
    func metricsText() -> String
}

/// A refusal from the backend, mapped to an RFC 9457 problem by the API.
public struct AdminError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The HTTP status and problem type.
    public enum Kind: Sendable, Equatable {
        /// 400: the request is malformed.
        case badRequest
        /// 404: no such certificate, policy or route.
        case notFound
        /// 409: the change conflicts with what is in service.
        case conflict
        /// 422: the content was understood and refused (import, config).
        case unprocessable
        /// 503: the control plane cannot do it now (e.g. shutting down).
        case unavailable
        /// 500: a failure of ours.
        case internalError
    }

    public var kind: Kind
    /// One sentence, as the CLI prints it.
    public var detail: String
    /// Every problem, one line each (`FILE:LINE: KEY: message`), when there are several.
    public var errors: [String]?

    /// An error of `kind` with `detail` (and the individual `errors` when there are several).
    public init(_ kind: Kind, _ detail: String, errors: [String]? = nil) {
        self.kind = kind
        self.detail = detail
        self.errors = errors
    }

    public var description: String { self.detail }
}
