/// One `[[policy]]` table: a custom security policy, optionally on top of a `base` preset. Values are
/// checked for type and shape here; cipher, suite and group names are checked against the linked
/// OpenSSL when the policy is resolved (PortcullisTLS `PolicyResolver`), and reported on `keyLines`.
public struct PolicyConfig: Sendable, Equatable {
    /// `name`: how listeners and sites refer to it.
    public var name: String
    /// `base`: a preset, an alias or an earlier `[[policy]]`; nil means `mozilla-intermediate`.
    public var base: String?
    /// `min_version` / `max_version`: "1.0" … "1.3".
    public var minVersion: String?
    public var maxVersion: String?
    /// `ciphers` (TLS 1.2 and older, OpenSSL names), `ciphersuites` (TLS 1.3), `groups`, `sigalgs`.
    public var ciphers: [String]?
    public var ciphersuites: [String]?
    public var groups: [String]?
    public var sigalgs: [String]?
    /// `server_preference`, `session_tickets`, `early_data`.
    public var serverPreference: Bool?
    public var sessionTickets: Bool?
    public var earlyData: Bool?
    /// `hsts`: a Strict-Transport-Security value, or "off".
    public var hsts: String?
    /// `client_auth`: "none", "optional" or "required"; `client_ca_file` (absolute after loading).
    public var clientAuth: String?
    public var clientCAFile: String?
    /// `allow_degraded`: drop what the linked OpenSSL lacks instead of refusing the policy.
    public var allowDegraded: Bool
    /// Line of the `[[policy]]` header.
    public var line: Int
    /// Line of each key written in the table, for messages about its value.
    public var keyLines: [String: Int]

    /// A policy with only a name; every other key unset.
    public init(name: String, line: Int = 0) {
        self.name = name
        self.allowDegraded = false
        self.line = line
        self.keyLines = [:]
    }

    /// The line to report a problem with `key` on.
    public func line(of key: String?) -> Int {
        key.flatMap { self.keyLines[$0] } ?? self.line
    }
}
