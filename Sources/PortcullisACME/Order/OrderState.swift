import Foundation

/// The persistent state of one managed certificate's order: saved as JSON after every step, so an
/// order survives restarts and can wait (for a manual DNS record, later) as long as it must.
public struct OrderState: Codable, Sendable, Equatable {
    /// Where the order stands.
    public enum Phase: String, Codable, Sendable {
        /// Nothing in flight (a certificate is installed, or nothing was tried yet).
        case idle
        /// `newOrder` is being sent.
        case ordering
        /// Authorizations are being solved.
        case authorizing
        /// The CSR was sent; waiting for the CA to issue.
        case finalizing
        /// The certificate is being downloaded.
        case downloading
        /// The certificate was installed.
        case valid
        /// The last attempt failed; `nextAttempt` says when the next one starts.
        case failed
    }

    /// Progress on one authorization, keyed by its URL.
    public struct Authorization: Codable, Sendable, Equatable {
        /// The identifier value (`*.example.com` for a wildcard authorization).
        public var identifier: String
        /// The chosen challenge type, once chosen.
        public var challengeType: String?
        /// Whether the challenge was answered (`{}` sent).
        public var triggered = false
        /// `valid` was seen.
        public var valid = false
        /// The current poll interval in seconds.
        public var pollDelay: Double?
    }

    /// The store name of the certificate.
    public var name: String
    /// The names ordered.
    public var domains: [String]
    /// Challenge types this installation can answer (`http-01`, `dns-01`).
    public var solvers: [String]
    public var phase: Phase = .idle
    public var orderURL: String?
    public var finalizeURL: String?
    public var certificateURL: String?
    public var authorizations: [String: Authorization] = [:]
    /// Poll interval for the order itself.
    public var orderPollDelay: Double?
    /// The private key of the CSR in flight (PEM). The state file is written 0600.
    public var keyPEM: String?
    /// Failed attempts since the last success.
    public var failures = 0
    /// When the next attempt may start (after a failure).
    public var nextAttempt: Date?
    /// The last failure, with the CA's problem document when there was one.
    public var problem: String?
    /// When the current attempt started.
    public var started: Date?

    /// A fresh state for certificate `name` covering `domains`.
    public init(name: String, domains: [String], solvers: [String]) {
        self.name = name
        self.domains = domains
        self.solvers = solvers
    }

    /// Whether an order is in flight (and can be resumed from `orderURL`).
    public var inFlight: Bool { [.ordering, .authorizing, .finalizing, .downloading].contains(self.phase) }
}
