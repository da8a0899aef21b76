/// TLS protocol version numbers as they appear on the wire (and in OpenSSL's `TLS1_x_VERSION`).
public enum TLSVersion {
    /// TLS 1.0 (`TLS1_VERSION`).
    public static let tls1_0: Int32 = 0x0301
    /// TLS 1.1 (`TLS1_1_VERSION`).
    public static let tls1_1: Int32 = 0x0302
    /// TLS 1.2 (`TLS1_2_VERSION`).
    public static let tls1_2: Int32 = 0x0303
    /// TLS 1.3 (`TLS1_3_VERSION`).
    public static let tls1_3: Int32 = 0x0304
}

/// The TLS settings of one security policy. They are applied to a site's `SSL_CTX` and re-applied to
/// every connection after the ClientHello callback switched to that context (`SSL_set_SSL_CTX` does
/// not carry versions, options or groups); see `PreparedPolicy`.
public struct TLSPolicySettings: Sendable, Equatable {
    /// Lowest protocol version accepted (`TLSVersion`).
    public var minVersion: Int32
    /// Highest protocol version accepted (`TLSVersion`).
    public var maxVersion: Int32
    /// TLS 1.2 and older ciphers, OpenSSL cipher-list syntax, in preference order.
    public var cipherList: String
    /// TLS 1.3 ciphersuites, colon separated, in preference order.
    public var ciphersuites: String
    /// Key-exchange groups, colon separated, in preference order.
    public var groups: String
    /// Pick the cipher in the server's order rather than the client's.
    public var serverPreference: Bool
    /// Issue stateless session tickets; when off, resumption uses the session cache only.
    public var sessionTickets: Bool
    /// Signature algorithms, colon separated; nil keeps OpenSSL's list.
    public var sigalgs: String? = nil
    /// OpenSSL security level; nil keeps the library default (TLS 1.0/1.1 policies need 0).
    public var securityLevel: Int32? = nil
    /// DH parameters for DHE ciphers.
    public var dhParameters: SecurityPolicy.DHParameters = .none
    /// Client-certificate authentication, with the CA bundle client certificates must chain to.
    public var clientAuth: SecurityPolicy.ClientAuth = .none
    /// PEM CA bundle for `clientAuth`.
    public var clientCAFile: String? = nil
    /// Accept TLS 1.3 0-RTT data (off unless a policy enables it).
    public var earlyData = false

    /// Settings from explicit values.
    public init(
        minVersion: Int32, maxVersion: Int32, cipherList: String, ciphersuites: String, groups: String,
        serverPreference: Bool, sessionTickets: Bool
    ) {
        self.minVersion = minVersion
        self.maxVersion = maxVersion
        self.cipherList = cipherList
        self.ciphersuites = ciphersuites
        self.groups = groups
        self.serverPreference = serverPreference
        self.sessionTickets = sessionTickets
    }

    /// The settings that enforce `policy`.
    public init(_ policy: SecurityPolicy) {
        self.init(
            minVersion: policy.minVersion.rawValue, maxVersion: policy.maxVersion.rawValue,
            cipherList: policy.ciphers.joined(separator: ":"), ciphersuites: policy.ciphersuites.joined(separator: ":"),
            groups: policy.groups.joined(separator: ":"), serverPreference: policy.serverPreference,
            sessionTickets: policy.sessionTickets)
        self.sigalgs = policy.sigalgs.isEmpty ? nil : policy.sigalgs.joined(separator: ":")
        self.securityLevel = policy.securityLevel.map(Int32.init)
        self.dhParameters = policy.dhParameters
        self.clientAuth = policy.clientAuth
        self.clientCAFile = policy.clientCAFile
        self.earlyData = policy.earlyData
    }

    /// Mozilla "intermediate" at guideline 6.0, without X25519MLKEM768 (OpenSSL 3.0 lacks ML-KEM):
    /// TLS 1.2–1.3, the six ECDHE AEAD ciphers, X25519/P-256/P-384, client cipher preference.
    /// Session tickets stay on: the key belongs to the front context, shared by all workers.
    public static let intermediate = TLSPolicySettings(
        minVersion: TLSVersion.tls1_2,
        maxVersion: TLSVersion.tls1_3,
        cipherList: "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
            + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
            + "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305",
        ciphersuites: "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256",
        groups: "X25519:prime256v1:secp384r1",
        serverPreference: false,
        sessionTickets: true)
}
