import Foundation

/// The directory object (RFC 8555 §7.1.1).
public struct ACMEDirectory: Codable, Sendable, Equatable {
    public var newNonce: String
    public var newAccount: String
    public var newOrder: String
    public var revokeCert: String?
    public var keyChange: String?
    /// ARI (RFC 9773), when the CA offers it.
    public var renewalInfo: String?
    public var meta: Meta?

    /// `meta`: terms and EAB requirement.
    public struct Meta: Codable, Sendable, Equatable {
        public var termsOfService: String?
        public var externalAccountRequired: Bool?
    }
}

/// An identifier (RFC 8555 §9.7.7); Portcullis orders `dns` names.
public struct ACMEIdentifier: Codable, Sendable, Hashable {
    public var type: String
    public var value: String

    /// A DNS identifier.
    public init(dns value: String) {
        self.type = "dns"
        self.value = value
    }
}

/// An order object (§7.1.3).
public struct ACMEOrder: Codable, Sendable, Equatable {
    public var status: String
    public var expires: String?
    public var identifiers: [ACMEIdentifier]
    public var authorizations: [String]
    public var finalize: String
    public var certificate: String?
    public var error: ACMEProblem?
}

/// An authorization object (§7.1.4).
public struct ACMEAuthorization: Codable, Sendable, Equatable {
    public var identifier: ACMEIdentifier
    public var status: String
    public var expires: String?
    public var challenges: [ACMEChallenge]
    public var wildcard: Bool?
}

/// A challenge object (§7.1.5, §8).
public struct ACMEChallenge: Codable, Sendable, Equatable {
    public var type: String
    public var url: String
    public var status: String
    public var token: String?
    public var error: ACMEProblem?
}

/// A problem document (RFC 7807, §6.7).
public struct ACMEProblem: Codable, Sendable, Equatable, CustomStringConvertible {
    public var type: String?
    public var detail: String?
    public var status: Int?
    public var subproblems: [ACMEProblem]?

    /// A problem from explicit values.
    public init(type: String?, detail: String?, status: Int? = nil) {
        self.type = type
        self.detail = detail
        self.status = status
    }

    /// `urn:…:badNonce :: detail`.
    public var description: String {
        let kind = self.type ?? "about:blank"
        return self.detail.map { "\(kind) :: \($0)" } ?? kind
    }

    /// The short error name (`badNonce`) for `urn:ietf:params:acme:error:*` types.
    public var acmeError: String? {
        let prefix = "urn:ietf:params:acme:error:"
        guard let type = self.type, type.hasPrefix(prefix) else { return nil }
        return String(type.dropFirst(prefix.count))
    }
}

/// Why an ACME operation failed.
public enum ACMEError: Error, CustomStringConvertible, Sendable {
    /// The CA answered with a problem document (or an unexpected status).
    case problem(ACMEProblem, during: String)
    /// The CA could not be reached, or TLS failed.
    case transport(String)
    /// The CA's answer made no sense.
    case protocolViolation(String)
    /// Local trouble (keys, files, hooks, configuration).
    case local(String)

    public var description: String {
        switch self {
        case .problem(let problem, let during): return "\(during): \(problem)"
        case .transport(let message): return message
        case .protocolViolation(let message): return "unexpected answer from the CA: \(message)"
        case .local(let message): return message
        }
    }

    /// Failures worth a quick retry (the CA was unreachable) rather than the long CA-problem backoff.
    public var isTransient: Bool {
        if case .transport = self { return true }
        return false
    }
}
