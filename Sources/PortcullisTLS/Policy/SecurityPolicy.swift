/// A TLS protocol version a policy can allow, ordered oldest first.
public enum TLSProtocolVersion: Int32, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case tls1_0 = 0x0301
    case tls1_1 = 0x0302
    case tls1_2 = 0x0303
    case tls1_3 = 0x0304

    /// The short form used in `proxy.conf` and the CLI ("1.2").
    public var description: String {
        switch self {
        case .tls1_0: return "1.0"
        case .tls1_1: return "1.1"
        case .tls1_2: return "1.2"
        case .tls1_3: return "1.3"
        }
    }

    /// OpenSSL's name, as `s_client` prints it ("TLSv1.2"; TLS 1.0 is "TLSv1").
    public var openSSLName: String {
        self == .tls1_0 ? "TLSv1" : "TLSv" + self.description
    }

    /// The version written as in `proxy.conf` ("1.2", also accepting "TLSv1.2").
    public init?(label: String) {
        let bare = label.hasPrefix("TLSv") ? String(label.dropFirst(4)) : label
        guard let match = Self.allCases.first(where: { $0.description == bare || (bare == "1" && $0 == .tls1_0) })
        else { return nil }
        self = match
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One named security policy: everything a TLS endpoint negotiates, as data. Presets live in
/// `PolicyCatalogue`; custom `[[policy]]` tables are built on top of one (`PolicyResolver`).
public struct SecurityPolicy: Sendable, Equatable {
    /// Finite-field Diffie-Hellman parameters for DHE ciphers.
    public enum DHParameters: String, Sendable, Equatable {
        /// No DHE ciphers, so no parameters.
        case none
        /// RFC 7919 ffdhe2048 (Mozilla intermediate 5.7; old 5.8).
        case ffdhe2048
        /// 1024-bit MODP group (RFC 2409 group 2; Mozilla old 5.7). Needs security level 0.
        case dh1024
    }

    /// Client-certificate authentication (mTLS).
    public enum ClientAuth: String, Sendable, Equatable, CaseIterable {
        /// No CertificateRequest.
        case none
        /// Ask for a certificate; a verified one is passed upstream in `X-Client-Cert-Subject`.
        case optional
        /// Refuse the handshake without a valid client certificate.
        case required
    }

    /// The name used in `policy = "..."`.
    public var name: String
    /// Where the values come from ("Mozilla Server Side TLS 5.7, intermediate").
    public var source: String
    /// Lowest version accepted.
    public var minVersion: TLSProtocolVersion
    /// Highest version accepted.
    public var maxVersion: TLSProtocolVersion
    /// TLS 1.2 and older ciphers in OpenSSL names, in preference order.
    public var ciphers: [String]
    /// TLS 1.3 ciphersuites in preference order.
    public var ciphersuites: [String]
    /// Key-exchange groups in preference order.
    public var groups: [String]
    /// Signature algorithms (OpenSSL names such as `ECDSA+SHA256`); empty means OpenSSL's default list.
    public var sigalgs: [String]
    /// Pick the cipher in the server's order (true) or the client's (false).
    public var serverPreference: Bool
    /// Issue session tickets (keys shared by all workers and rotated).
    public var sessionTickets: Bool
    /// DH parameters for the DHE ciphers.
    public var dhParameters: DHParameters
    /// `Strict-Transport-Security` value for HTTPS responses, nil for none.
    public var hsts: String?
    /// OpenSSL security level; nil keeps the library default. TLS 1.0/1.1 presets set 0 explicitly:
    /// OpenSSL 3 refuses their SHA-1 handshake signatures at level 1 and above.
    public var securityLevel: Int?
    /// Client-certificate authentication.
    public var clientAuth: ClientAuth
    /// PEM bundle of CAs that client certificates must chain to (required unless `clientAuth` is none).
    public var clientCAFile: String?
    /// Accept TLS 1.3 0-RTT data; off unless a policy enables it explicitly.
    public var earlyData: Bool

    /// A policy from explicit values; the defaults are those of a plain preset.
    public init(
        name: String, source: String, minVersion: TLSProtocolVersion, maxVersion: TLSProtocolVersion,
        ciphers: [String], ciphersuites: [String] = SecurityPolicy.tls13Suites, groups: [String],
        sigalgs: [String] = [], serverPreference: Bool, sessionTickets: Bool = true,
        dhParameters: DHParameters = .none, hsts: String? = nil, securityLevel: Int? = nil,
        clientAuth: ClientAuth = .none, clientCAFile: String? = nil, earlyData: Bool = false
    ) {
        self.name = name
        self.source = source
        self.minVersion = minVersion
        self.maxVersion = maxVersion
        self.ciphers = ciphers
        self.ciphersuites = ciphersuites
        self.groups = groups
        self.sigalgs = sigalgs
        self.serverPreference = serverPreference
        self.sessionTickets = sessionTickets
        self.dhParameters = dhParameters
        self.hsts = hsts
        self.securityLevel = securityLevel
        self.clientAuth = clientAuth
        self.clientCAFile = clientCAFile
        self.earlyData = earlyData
    }

    /// The three TLS 1.3 suites every preset offers, in Mozilla's and AWS's order.
    public static let tls13Suites = [
        "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
    ]

    /// The versions this policy accepts, oldest first.
    public var versions: [TLSProtocolVersion] {
        TLSProtocolVersion.allCases.filter { $0 >= self.minVersion && $0 <= self.maxVersion }
    }

    /// Whether TLS 1.2 or older can be negotiated (so `ciphers` matter).
    public var allowsTLS12OrOlder: Bool { self.minVersion <= .tls1_2 }

    /// Whether TLS 1.3 can be negotiated (so `ciphersuites` matter).
    public var allowsTLS13: Bool { self.maxVersion == .tls1_3 }

    /// What a resumed session depends on, for the session-ID context: a session made under one set of
    /// values never resumes under another (OpenSSL only checks that the client still offers its cipher).
    public var sessionFingerprint: String {
        [
            self.name, self.minVersion.description, self.maxVersion.description, self.ciphers.joined(separator: ":"),
            self.ciphersuites.joined(separator: ":"), self.clientAuth.rawValue, self.clientCAFile ?? "",
        ].joined(separator: "|")
    }
}
