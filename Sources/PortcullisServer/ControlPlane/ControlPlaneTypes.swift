import PortcullisCertificates
import PortcullisConfig

/// Who asked for a commit; the `trigger` label of `portcullis_reloads_total`.
public enum CommitTrigger: String, Sendable, CaseIterable, Hashable {
    /// The first build, before the listeners open.
    case startup
    /// `kill -HUP`: re-read `proxy.conf`.
    case sighup
    /// The store watcher saw certificate files change.
    case watcher
    /// The ACME client installed a certificate.
    case acme
    /// The admin API (reload, or a store change made through it).
    case api
    /// A cluster peer (reserved for replication).
    case cluster
    /// The DNS watch provisioned (or dropped) a domain's site.
    case dnsWatch = "dns-watch"
    /// On-demand TLS allowed (or dropped) a name's site.
    case onDemand = "on-demand"
}

/// What one commit did: the generation now in service, or why nothing changed.
public enum CommitOutcome: Sendable, Equatable {
    /// The new state is in service as `generation`.
    case committed(generation: Int)
    /// Nothing changed; every problem as `FILE:LINE: KEY: message` (or one sentence when the problem
    /// has no place in the file).
    case failed(diagnostics: [String])

    /// The generation in service after a successful commit.
    public var generation: Int? {
        if case .committed(let generation) = self { return generation }
        return nil
    }
}

/// One change to the certificate store, made on the control thread and followed by a commit with
/// trigger `api` (`ControlPlane.mutate`). Byte fields are the files' contents (PEM, or DER where the
/// CLI accepts DER).
public enum StoreMutation: Sendable {
    /// Import or replace from PEM: leaf (may hold the chain), intermediates, CA bundle, key.
    case importPEM(
        name: String, certificate: [UInt8], key: [UInt8], chain: [UInt8]?, caBundle: [UInt8]?, force: Bool)
    /// Import or replace from a PKCS#12 file.
    case importPFX(name: String, pfx: [UInt8], password: String, force: Bool)
    /// A new self-signed certificate (`certs selfsign`); `keyType` is a `--key-type` name.
    case selfSigned(name: String, domains: [String], keyType: String, days: Int)
    /// Swap back to the previous version (`certs rollback`).
    case rollback(name: String)
    /// Move out of service into `previous/` (`certs remove`); refused while deployed unless `force`.
    case delete(name: String, force: Bool)
    /// Ask the ACME client to renew now (ACME certificates only).
    case renew(name: String)

    /// The certificate name the mutation is about.
    public var name: String {
        switch self {
        case .importPEM(let name, _, _, _, _, _), .importPFX(let name, _, _, _), .selfSigned(let name, _, _, _),
            .rollback(let name), .delete(let name, _), .renew(let name):
            return name
        }
    }
}

/// The result of a successful `StoreMutation`.
public struct MutationOutcome: Sendable {
    /// True when an import or self-signed created a name that was not in the store.
    public var created: Bool
    /// The certificate's status row after the change (nil after a delete, and for renew requests).
    public var row: CertificateStatusRow?
    /// Warnings for the operator (forced validity, reordered or incomplete chain).
    public var warnings: [String]
    /// The commit that followed (a failed commit leaves the store change in place: it is served once
    /// the configuration builds again; `diagnostics` say why).
    public var commit: CommitOutcome
    /// True when a site or listener deploys the certificate and the state now in service serves
    /// exactly the stored version (after delete: true when nothing serves it any more).
    public var served: Bool
}

/// Why a `StoreMutation` was refused; the store is unchanged. `message` is the CLI's sentence.
public enum MutationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Bad input: a refused import, an unknown key type, a bad name (HTTP 422).
    case invalid(String)
    /// No such certificate, or no previous version (HTTP 404).
    case notFound(String)
    /// In use, or not an ACME certificate for renew (HTTP 409).
    case conflict(String)
    /// The store could not be written (HTTP 500).
    case failed(String)

    /// The sentence.
    public var message: String {
        switch self {
        case .invalid(let message), .notFound(let message), .conflict(let message), .failed(let message): return message
        }
    }

    public var description: String { self.message }
}

/// One site as the admin API lists it.
public struct SiteSummary: Sendable, Equatable {
    /// Host names, in config order.
    public var hosts: [String]
    /// Store names of the certificates it serves (primary first); the `certificate` value for
    /// generated ones (`self-signed`, `acme`) resolves to the store name.
    public var certificates: [String]
    /// Its own policy, or nil when it follows the listener's.
    public var policy: String?
    /// Upstream addresses as written (`host:port`); empty for `respond` sites.
    public var upstreams: [String]
    /// The TLS listeners (`bind` values) that can serve it; every TLS listener does.
    public var listeners: [String]
    /// The config line of its `[[site]]`.
    public var line: Int
}

/// A reload counter key: `portcullis_reloads_total{trigger,result}`.
public struct ReloadCounterKey: Sendable, Hashable {
    public var trigger: CommitTrigger
    /// `success` or `failure`.
    public var result: String
}
