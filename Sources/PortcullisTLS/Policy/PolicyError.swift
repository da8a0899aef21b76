/// Why a security policy cannot be used.
public enum PolicyError: Error, CustomStringConvertible, Sendable, Equatable {
    /// No preset, alias or `[[policy]]` has this name.
    case unknownPolicy(String, known: [String])
    /// The linked OpenSSL lacks something the policy needs (and `allow_degraded` is not set).
    case missingFeatures(policy: String, [String])
    /// A value of a `[[policy]]` table is wrong; `key` is the table key ("ciphers").
    case invalid(policy: String, key: String, message: String)

    /// The `[[policy]]` key the problem belongs to, when there is one.
    public var key: String? {
        if case .invalid(_, let key, _) = self { return key }
        return nil
    }

    /// The operator's sentence.
    public var description: String {
        switch self {
        case .unknownPolicy(let name, let known):
            return "unknown security policy \"\(name)\"; expected a [[policy]] name or one of "
                + known.map { "\"\($0)\"" }.joined(separator: ", ")
        case .missingFeatures(let policy, let missing):
            return "security policy \"\(policy)\" cannot be fully honoured by \(OpenSSLCapabilities.versionText): "
                + missing.joined(separator: "; ")
                + "; define a [[policy]] with base = \"\(policy)\" and allow_degraded = true to use it without"
        case .invalid(let policy, _, let message):
            return "security policy \"\(policy)\": \(message)"
        }
    }
}
