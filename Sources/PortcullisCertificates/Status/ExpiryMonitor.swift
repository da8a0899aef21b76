import Foundation

/// One certificate inside the warning window, as every expiry channel reports it.
public struct ExpiryFact: Sendable, Equatable {
    public var name: String
    public var domains: [String]
    /// Negative once expired.
    public var daysLeft: Int
    public var notAfter: Date
    /// `expiring` or `expired`.
    public var status: String

    public init(name: String, domains: [String], daysLeft: Int, notAfter: Date, status: String) {
        self.name = name
        self.domains = domains
        self.daysLeft = daysLeft
        self.notAfter = notAfter
        self.status = status
    }

    /// The webhook body: `{"event":"certificate_expiring","name":…,"domains":[…],"days_left":…,…}`.
    public func jsonBody() -> [UInt8] {
        let object: [String: Any] = [
            "event": "certificate_expiring", "name": self.name, "domains": self.domains, "days_left": self.daysLeft,
            "not_after": CertificateClock.rfc3339(self.notAfter), "status": self.status,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Array(data)
    }

    /// `PORTCULLIS_CERT_*` variables for `expiry_command`.
    public var environment: [String: String] {
        [
            "PORTCULLIS_CERT_NAME": self.name, "PORTCULLIS_CERT_DOMAINS": self.domains.joined(separator: ","),
            "PORTCULLIS_CERT_DAYS_LEFT": String(self.daysLeft),
            "PORTCULLIS_CERT_NOT_AFTER": CertificateClock.rfc3339(self.notAfter), "PORTCULLIS_CERT_STATUS": self.status,
        ]
    }
}

/// Decides, at each check, which warnings to emit: per certificate at most one log line, one
/// successful webhook and one successful command run per day. A failed webhook or command is retried
/// at the next check. Pure: time comes in as `now`.
public struct ExpiryMonitorStateMachine: Sendable {
    /// A channel to notify.
    public enum Channel: Sendable, Hashable { case log, webhook, command }

    /// What to do now.
    public struct Action: Sendable, Equatable {
        public var channel: Channel
        public var fact: ExpiryFact
    }

    /// Last success per certificate and channel.
    private var lastDone: [String: [Channel: Date]] = [:]
    private let period: TimeInterval

    /// `period` is one day unless a test shortens it.
    public init(period: TimeInterval = 86_400) {
        self.period = period
    }

    /// The actions for `facts` (the certificates inside the window) at `now`. `complete` says `facts`
    /// covers the whole store, so certificates missing from it left the window and are forgotten.
    public mutating func check(
        _ facts: [ExpiryFact], webhook: Bool, command: Bool, now: Date, complete: Bool = true
    ) -> [Action] {
        var channels: [Channel] = [.log]
        if webhook { channels.append(.webhook) }
        if command { channels.append(.command) }
        if complete {
            let inWindow = Set(facts.map(\.name))
            self.lastDone = self.lastDone.filter { inWindow.contains($0.key) }
        }
        var actions: [Action] = []
        for fact in facts {
            for channel in channels {
                if let last = self.lastDone[fact.name]?[channel], now.timeIntervalSince(last) < self.period { continue }
                actions.append(Action(channel: channel, fact: fact))
                // A log line cannot fail: it counts as done at once.
                if channel == .log { self.lastDone[fact.name, default: [:]][channel] = now }
            }
        }
        return actions
    }

    /// Records the outcome of a webhook or command action.
    public mutating func completed(_ action: Action, success: Bool, now: Date) {
        guard success else { return }
        self.lastDone[action.fact.name, default: [:]][action.channel] = now
    }
}
