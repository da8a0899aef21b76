import PortcullisTLS

/// TLS-ALPN-01 (RFC 8737): the running proxy's TLS listeners answer a ClientHello offering
/// `acme-tls/1` for the name with a challenge certificate, so validation needs port 443 only.
final class TLSALPN01Solver: ChallengeSolver {
    let type = "tls-alpn-01"
    private let challenges: ALPNChallenges
    private var presented: [String] = []

    init(challenges: ALPNChallenges = .shared) { self.challenges = challenges }

    func present(identifier: String, token: String, keyAuthorization: String) throws {
        guard !identifier.hasPrefix("*.") else { throw ACMEError.local("TLS-ALPN-01 cannot validate a wildcard") }
        do {
            try self.challenges.present(domain: identifier.lowercased(), keyAuthorization: keyAuthorization)
        } catch {
            throw ACMEError.local("TLS-ALPN-01 for \(identifier): \(error)")
        }
        self.presented.append(identifier.lowercased())
    }

    func cleanUp() {
        for domain in self.presented { self.challenges.withdraw(domain: domain) }
        self.presented = []
    }
}
