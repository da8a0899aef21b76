/// A `[[policy]]` table in TLS terms: a base policy and the fields it overrides (nil: inherited).
public struct CustomPolicyDefinition: Sendable, Equatable {
    public var name: String
    /// A preset, an alias or an earlier `[[policy]]`; nil means `mozilla-intermediate`.
    public var base: String?
    public var minVersion: TLSProtocolVersion?
    public var maxVersion: TLSProtocolVersion?
    public var ciphers: [String]?
    public var ciphersuites: [String]?
    public var groups: [String]?
    public var sigalgs: [String]?
    public var serverPreference: Bool?
    public var sessionTickets: Bool?
    public var hsts: String?
    public var clientAuth: SecurityPolicy.ClientAuth?
    public var clientCAFile: String?
    public var earlyData: Bool?
    /// Drop what the linked OpenSSL lacks (ML-KEM groups, 3DES) instead of refusing the policy.
    public var allowDegraded: Bool

    /// A definition that inherits everything from `base`.
    public init(name: String, base: String? = nil, allowDegraded: Bool = false) {
        self.name = name
        self.base = base
        self.allowDegraded = allowDegraded
    }
}
