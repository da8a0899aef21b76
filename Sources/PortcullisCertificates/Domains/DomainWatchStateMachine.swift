import Foundation

/// The DNS watch's decisions (pure: events and `now` in, actions out). Each waiting domain is looked
/// up every `interval`, doubling after each miss up to an hour; once its DNS points here it moves to
/// `ordering` and the site set changes (a commit); the certificate's progress then makes it
/// `deployed` or `failed: …`.
public struct DomainWatchStateMachine: Sendable {
    public enum Action: Equatable, Sendable {
        /// Resolve `domain` and compare it with `expect`.
        case lookup(domain: String, expect: String)
        /// The set of provisioned domains changed: commit the configuration.
        case commitSites
        /// Domain states changed: write them to the store.
        case save
    }

    /// What DNS said about a domain.
    public enum Verdict: Equatable, Sendable {
        case pointsHere
        case notYet
        case failed(String)
    }

    /// Where a provisioned domain's certificate is.
    public enum Progress: Equatable, Sendable {
        case pending
        case issued
        case failed(String)
    }

    /// Longest wait between two lookups of a waiting domain.
    public static let maxInterval = 3600.0
    public private(set) var domains: [WatchedDomain] = []
    public var interval: Double
    private var schedule: [String: (next: Date, interval: Double)] = [:]
    private var inFlight: Set<String> = []

    public init(interval: Double) { self.interval = interval }

    /// Names that have (or should have) a site in service.
    public var provisioned: [String] { self.domains.filter(\.hasSite).map(\.domain) }

    /// Adopts the list from the store (added or removed by the API or the CLI); new domains are due now.
    public mutating func load(_ stored: [WatchedDomain], now: Date) -> [Action] {
        let before = self.provisioned
        self.domains = stored
        let names = Set(stored.map(\.domain))
        self.schedule = self.schedule.filter { names.contains($0.key) }
        self.inFlight.formIntersection(names)
        for domain in stored where self.schedule[domain.domain] == nil {
            self.schedule[domain.domain] = (now, self.interval)
        }
        return self.provisioned == before ? [] : [.commitSites]
    }

    /// Starts the lookups that are due.
    public mutating func tick(now: Date) -> [Action] {
        var actions: [Action] = []
        for domain in self.domains where domain.state == WatchedDomain.waiting && !self.inFlight.contains(domain.domain)
        {
            guard let entry = self.schedule[domain.domain], entry.next <= now else { continue }
            self.inFlight.insert(domain.domain)
            actions.append(.lookup(domain: domain.domain, expect: domain.expect))
        }
        return actions
    }

    /// Records a lookup's outcome.
    public mutating func lookedUp(_ name: String, _ verdict: Verdict, now: Date) -> [Action] {
        self.inFlight.remove(name)
        guard let index = self.domains.firstIndex(where: { $0.domain == name }),
            self.domains[index].state == WatchedDomain.waiting
        else { return [] }
        let stamp = now.formatted(.iso8601)
        self.domains[index].lastChecked = stamp
        switch verdict {
        case .pointsHere:
            self.domains[index].state = WatchedDomain.ordering
            (self.domains[index].pointedAt, self.domains[index].lastError) = (stamp, nil)
            return [.commitSites, .save]
        case .notYet, .failed:
            if case .failed(let reason) = verdict {
                self.domains[index].lastError = reason
            } else {
                self.domains[index].lastError = nil
            }
            let wait = self.schedule[name]?.interval ?? self.interval
            self.schedule[name] = (now.addingTimeInterval(wait), min(wait * 2, Self.maxInterval))
            return [.save]
        }
    }

    /// Records the certificate progress of a provisioned domain.
    public mutating func certificate(_ name: String, _ progress: Progress) -> [Action] {
        guard let index = self.domains.firstIndex(where: { $0.domain == name }), self.domains[index].hasSite else {
            return []
        }
        let state: String
        switch progress {
        case .pending: state = WatchedDomain.ordering
        case .issued: state = WatchedDomain.deployed
        case .failed(let reason): state = "failed: " + reason
        }
        guard self.domains[index].state != state else { return [] }
        self.domains[index].state = state
        return [.save]
    }
}
