import PortcullisCore

/// One row of the status table, as `GET /api/v1/certificates` returns it.
public struct CertificateInfo: Codable, Sendable, Equatable {
    public var name: String
    public var domains: [String]
    /// `user`, `self-signed` or `acme`.
    public var source: String
    public var subjectCN: String
    public var issuer: String
    public var keyType: String
    /// RFC 3339.
    public var notBefore: String
    /// RFC 3339.
    public var notAfter: String
    public var daysLeft: Int
    /// `valid`, `expiring`, `expired`, `name-mismatch`, `chain-incomplete`, `pending`, `failed`, …
    public var status: String
    /// `site:<host>` and `listener:<bind>` entries serving it.
    public var deployed: [String]
    /// Serial number, upper-case hex.
    public var serial: String
    /// SHA-256 of the leaf's DER, lower-case hex.
    public var fingerprintSHA256: String
    /// Whether a previous version exists (a rollback target).
    public var previous: Bool

    /// A row from its fields.
    public init(
        name: String, domains: [String], source: String, subjectCN: String, issuer: String, keyType: String,
        notBefore: String, notAfter: String, daysLeft: Int, status: String, deployed: [String], serial: String,
        fingerprintSHA256: String, previous: Bool
    ) {
        self.name = name
        self.domains = domains
        self.source = source
        self.subjectCN = subjectCN
        self.issuer = issuer
        self.keyType = keyType
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.daysLeft = daysLeft
        self.status = status
        self.deployed = deployed
        self.serial = serial
        self.fingerprintSHA256 = fingerprintSHA256
        self.previous = previous
    }

    enum CodingKeys: String, CodingKey {
        case name, domains, source, issuer, status, deployed, serial, previous
        case subjectCN = "subject_cn"
        case keyType = "key_type"
        case notBefore = "not_before"
        case notAfter = "not_after"
        case daysLeft = "days_left"
        case fingerprintSHA256 = "fingerprint_sha256"
    }
}

/// `GET /api/v1/certificates/{name}`: the row plus the public chain.
public struct CertificateDetail: Encodable, Sendable, Equatable {
    public var info: CertificateInfo
    /// Public certificates only, leaf first.
    public var chainPEM: String

    /// A detail from its parts.
    public init(info: CertificateInfo, chainPEM: String) {
        self.info = info
        self.chainPEM = chainPEM
    }

    enum CodingKeys: String, CodingKey { case chainPEM = "chain_pem" }

    /// The row's keys plus `chain_pem`, flat.
    public func encode(to encoder: Encoder) throws {
        try self.info.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.chainPEM, forKey: .chainPEM)
    }
}

/// What `PUT /api/v1/certificates/{name}` asks for, after validation of the JSON shape.
public enum CertificateUpload: Sendable, Equatable {
    /// PEM texts: leaf (may hold the chain), optional intermediates and CA bundle, and the key.
    case pem(certificate: String, privateKey: String, chain: String?, caBundle: String?, force: Bool)
    /// A PKCS#12 file and its password.
    case pfx(data: [UInt8], password: String, force: Bool)
    /// A new self-signed certificate.
    case selfSigned(domains: [String], keyType: String, days: Int)
}

/// One site, as `GET /api/v1/sites` returns it.
public struct SiteInfo: Codable, Sendable, Equatable {
    public var hosts: [String]
    /// The store names of its certificate(s), primary first.
    public var certificates: [String]
    /// `self-signed`, `acme`, or `store`.
    public var certificateSource: String
    public var policy: String
    /// `host:port` each.
    public var upstreams: [String]
    /// Text served instead of proxying, when set.
    public var respond: String?
    /// `bind` of every TLS listener that can serve it.
    public var listeners: [String]
    /// Active health state by upstream (`up`, `down`, `unchecked` without a `health_check`).
    public var upstreamHealth: [String: String] = [:]

    /// A site from its fields.
    public init(
        hosts: [String], certificates: [String], certificateSource: String, policy: String, upstreams: [String],
        respond: String?, listeners: [String]
    ) {
        self.hosts = hosts
        self.certificates = certificates
        self.certificateSource = certificateSource
        self.policy = policy
        self.upstreams = upstreams
        self.respond = respond
        self.listeners = listeners
    }

    enum CodingKeys: String, CodingKey {
        case hosts, certificates, policy, upstreams, respond, listeners
        case certificateSource = "certificate_source"
        case upstreamHealth = "upstream_health"
    }
}

/// One security policy, as `policies show` describes it.
public struct PolicyInfo: Codable, Sendable, Equatable {
    public var name: String
    public var source: String
    public var versions: [String]
    public var serverPreference: Bool
    public var ciphers: [String]
    public var ciphersuites: [String]
    public var groups: [String]
    public var sigalgs: [String]
    public var sessionTickets: Bool
    public var hsts: String?
    public var clientAuth: String
    /// `honoured in full by OpenSSL 3.0.x`, `degraded on …: …`, or `refused: …`.
    public var status: String

    /// A policy from its fields.
    public init(
        name: String, source: String, versions: [String], serverPreference: Bool, ciphers: [String],
        ciphersuites: [String], groups: [String], sigalgs: [String], sessionTickets: Bool, hsts: String?,
        clientAuth: String, status: String
    ) {
        self.name = name
        self.source = source
        self.versions = versions
        self.serverPreference = serverPreference
        self.ciphers = ciphers
        self.ciphersuites = ciphersuites
        self.groups = groups
        self.sigalgs = sigalgs
        self.sessionTickets = sessionTickets
        self.hsts = hsts
        self.clientAuth = clientAuth
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case name, source, versions, ciphers, ciphersuites, groups, sigalgs, hsts, status
        case serverPreference = "server_preference"
        case sessionTickets = "session_tickets"
        case clientAuth = "client_auth"
    }
}

/// One control-plane event on the wire.
struct EventInfo: Encodable {
    var seq: UInt64
    /// RFC 3339 with fractional seconds.
    var time: String
    var kind: String
    var name: String
    var message: String
}
