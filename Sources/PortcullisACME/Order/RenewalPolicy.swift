import Foundation
import PortcullisTLS

/// When to renew and when to retry: pure functions of the certificate's dates, the configuration
/// and `now`, so they can be tested without a clock (certmagic reads the clock; we take it as input).
public enum RenewalPolicy {
    /// How often the control plane looks at managed certificates.
    public static let checkInterval: Double = 600

    /// The moment to renew a certificate valid from `notBefore` to `notAfter`: when `renewRemaining`
    /// of its lifetime is left, moved earlier by `jitter` (0…1) times 2% of the lifetime so that
    /// many certificates issued together do not all renew in the same second.
    public static func renewalTime(notBefore: Date, notAfter: Date, renewRemaining: Double, jitter: Double) -> Date {
        let lifetime = max(0, notAfter.timeIntervalSince(notBefore))
        let spread = lifetime * 0.02 * min(max(jitter, 0), 1)
        return notAfter.addingTimeInterval(-(lifetime * renewRemaining) - spread)
    }

    /// A moment inside the ARI `suggestedWindow` (RFC 9773 §4.2): `start + jitter × (end − start)`,
    /// or `now` when the window has already closed. nil for an empty or inverted window.
    public static func ariRenewalTime(windowStart: Date, windowEnd: Date, jitter: Double, now: Date) -> Date? {
        guard windowEnd > windowStart else { return nil }
        if windowEnd <= now { return now }
        let span = windowEnd.timeIntervalSince(windowStart)
        return windowStart.addingTimeInterval(span * min(max(jitter, 0), 1))
    }

    /// The delay before attempt `failures + 1`: exponential from `base` (short for an unreachable CA,
    /// a minute for a CA's refusal), capped at 6 hours, scaled by `jitter` in 0.75…1.25.
    public static func backoff(failures: Int, transient: Bool, jitter: Double) -> Double {
        let base: Double = transient ? 5 : 60
        let exponent = Double(max(0, min(failures - 1, 20)))
        let delay = min(base * pow(2, exponent), 6 * 3600)
        return delay * (0.75 + 0.5 * min(max(jitter, 0), 1))
    }

    /// A stable jitter in 0…1 for `key` (a serial or a name), so restarts do not move the schedule.
    public static func stableJitter(_ key: String) -> Double {
        let digest = Digest.sha256(Array(key.utf8))
        let value = digest.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return Double(value) / Double(UInt32.max)
    }

    /// The next poll interval after `previous` (§7.5.1: no `Retry-After` means the client chooses):
    /// 50 ms, growing by half each time, at most 5 s; `Retry-After` wins when given (capped at an hour).
    public static func pollDelay(previous: Double?, retryAfter: Double?) -> Double {
        if let retryAfter { return min(max(retryAfter, 0), 3600) }
        guard let previous else { return 0.05 }
        return min((previous * 1500).rounded() / 1000, 5)
    }
}
