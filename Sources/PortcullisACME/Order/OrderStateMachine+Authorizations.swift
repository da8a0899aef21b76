import Foundation

/// Authorization handling: matched by URL and identifier, challenges chosen by type, never by position.
extension OrderStateMachine {
    /// Authorization status transitions (RFC 8555 §7.1.6).
    mutating func authorizationUpdated(
        url: String, _ authorization: ACMEAuthorization, retryAfter: Double?, now: Date
    ) -> [OrderAction] {
        guard var progress = self.state.authorizations[url], let orderURL = self.state.orderURL else { return [] }
        let identifier = (authorization.wildcard == true ? "*." : "") + authorization.identifier.value
        progress.identifier = identifier
        switch authorization.status {
        case "valid":
            progress.valid = true
            self.state.authorizations[url] = progress
            let allValid = self.state.authorizations.values.allSatisfy(\.valid)
            return allValid ? [.fetchOrder(url: orderURL, after: 0)] : []
        case "pending":
            var actions: [OrderAction] = []
            if !progress.triggered {
                guard let challenge = Self.choose(authorization.challenges, wildcard: identifier.hasPrefix("*."), solvers: self.state.solvers) else {
                    let offered = authorization.challenges.map(\.type).joined(separator: ", ")
                    return self.failAuthorization("\(identifier): no usable challenge (offered: \(offered); usable here: \(self.state.solvers.joined(separator: ", ")))", now: now)
                }
                (progress.challengeType, progress.triggered) = (challenge.type, true)
                actions.append(.solve(authorization: url, identifier: identifier, challenge: challenge))
            }
            progress.pollDelay = RenewalPolicy.pollDelay(previous: progress.pollDelay, retryAfter: retryAfter)
            self.state.authorizations[url] = progress
            return actions + [.fetchAuthorization(url: url, after: progress.pollDelay ?? 0.05)]
        case "invalid":
            let failed = authorization.challenges.first { $0.error != nil && ($0.type == progress.challengeType || progress.challengeType == nil) }
            let detail = failed?.error.map { "\($0)" } ?? "authorization invalid"
            return self.failAuthorization("validating \(identifier) with \(progress.challengeType ?? "?"): \(detail)", now: now)
        default:
            // expired, deactivated or revoked: this order cannot finish; order again.
            return self.handle(.begin, now: now).withCleanUpFirst
        }
    }

    /// A failed authorization fails the attempt (with the CA's reason).
    private mutating func failAuthorization(_ message: String, now: Date) -> [OrderAction] {
        self.handle(.failed(message, transient: false), now: now)
    }

    /// The challenge to answer: DNS-01 for wildcards (the only type CAs offer for them), HTTP-01
    /// otherwise when this installation serves it, then TLS-ALPN-01, else DNS-01 when a hook is configured.
    static func choose(_ challenges: [ACMEChallenge], wildcard: Bool, solvers: [String]) -> ACMEChallenge? {
        let preference = wildcard ? ["dns-01"] : ["http-01", "tls-alpn-01", "dns-01"]
        for type in preference where solvers.contains(type) {
            if let challenge = challenges.first(where: { $0.type == type && $0.token != nil }) { return challenge }
        }
        return nil
    }
}

extension Array where Element == OrderAction {
    /// The same actions after a `.cleanUp` (unless they already start with one).
    var withCleanUpFirst: [OrderAction] { self.first == .cleanUp ? self : [.cleanUp] + self }
}

extension OrderStateMachine {
    /// RFC 3339 timestamps as the CA writes them (with or without fractional seconds).
    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
